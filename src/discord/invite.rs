//! The link that adds carebot to a server, with exactly the permissions and scopes it needs.

use serenity::all::Permissions;

/// What carebot does in a channel or thread: see it and read its messages, post replies as
/// embeds (with files attached, for charts), and read back recent messages (for replies to
/// them and for catching up after a new session).
pub const PERMISSIONS: Permissions = Permissions::VIEW_CHANNEL
    .union(Permissions::SEND_MESSAGES)
    .union(Permissions::EMBED_LINKS)
    .union(Permissions::ATTACH_FILES)
    .union(Permissions::READ_MESSAGE_HISTORY)
    .union(Permissions::SEND_MESSAGES_IN_THREADS);

/// The OAuth2 scopes: the bot user, and its slash commands.
pub const SCOPES: [&str; 2] = ["bot", "applications.commands"];

/// The invite link for the application `application_id`.
pub fn url(application_id: u64) -> String {
    format!(
        "https://discord.com/oauth2/authorize?client_id={application_id}&scope={}&permissions={}",
        SCOPES.join("+"),
        PERMISSIONS.bits()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_asks_for_six_permissions_and_two_scopes() {
        // View Channels 1 << 10, Send Messages 1 << 11, Embed Links 1 << 14, Attach Files
        // 1 << 15, Read Message History 1 << 16, Send Messages in Threads 1 << 38.
        assert_eq!(
            PERMISSIONS.bits(),
            1024 + 2048 + 16384 + 32768 + 65536 + 274_877_906_944
        );
        assert_eq!(PERMISSIONS.bits(), 274_878_024_704);
        assert_eq!(
            url(1180000000000000002),
            "https://discord.com/oauth2/authorize?client_id=1180000000000000002&scope=bot+applications.commands&permissions=274878024704"
        );
    }
}
