//! JSON shapes as Discord sends them (checked against serenity 0.12.5's models by the
//! self-test).

use std::time::SystemTime;

use serde_json::{json, Value};

use crate::iso_timestamp;
use crate::message::RichEmbed;
use crate::{
    Author, SentInteraction, APPLICATION_ID, APP_PERMISSIONS, BOT_NAME, BOT_USER_ID, OWNER_ID,
};

/// A user object.
pub fn user(id: u64, name: &str, bot: bool) -> Value {
    let mut u = json!({
        "id": id.to_string(),
        "username": name,
        "discriminator": "0",
        "global_name": if bot { Value::Null } else { json!(name) },
        "avatar": null,
        "avatar_decoration_data": null,
        "collectibles": null,
        "primary_guild": null,
        "public_flags": 0,
        "flags": 0,
        "banner": null,
        "accent_color": null,
    });
    if bot {
        u["bot"] = json!(true);
    }
    u
}

/// The bot's own user with private fields, as `GET /users/@me` and READY give it.
pub fn bot_user_pii() -> Value {
    let mut u = user(BOT_USER_ID, BOT_NAME, true);
    u["mfa_enabled"] = json!(true);
    u["locale"] = json!("en-GB");
    u["verified"] = json!(true);
    u["email"] = Value::Null;
    u
}

/// A guild member object (partial when `user` is None, as in MESSAGE_CREATE).
pub fn member(user: Option<Value>) -> Value {
    let mut m = json!({
        "roles": [],
        "joined_at": "2024-03-01T12:00:00.000000+00:00",
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "nick": null,
        "avatar": null,
        "banner": null,
        "communication_disabled_until": null,
        "unusual_dm_activity_until": null,
    });
    if let Some(u) = user {
        m["user"] = u;
    }
    m
}

/// READY's `d`.
pub fn ready(session_id: &str, resume_url: &str, shard: Option<[u64; 2]>, guilds: &[u64]) -> Value {
    let guilds: Vec<Value> = guilds
        .iter()
        .map(|g| json!({ "id": g.to_string(), "unavailable": true }))
        .collect();
    let mut d = json!({
        "v": 10,
        "user_settings": {},
        "user": bot_user_pii(),
        "guilds": guilds,
        "session_type": "normal",
        "session_id": session_id,
        "resume_gateway_url": resume_url,
        "application": { "id": APPLICATION_ID.to_string(), "flags": 8_945_664 },
        "private_channels": [],
        "relationships": [],
        "presences": [],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": ["london", "rotterdam"],
        "auth": {},
        "_trace": ["[\"fake-discord\",{\"micros\":0}]"],
    });
    if let Some(s) = shard {
        d["shard"] = json!(s);
    }
    d
}

/// MESSAGE_CREATE's `d` for a user's message.
pub fn message(
    id: u64,
    channel_id: u64,
    author: &Author,
    content: &str,
    guild_id: Option<u64>,
    mentions: Vec<Value>,
) -> Value {
    let mut m = json!({
        "type": 0,
        "tts": false,
        "timestamp": iso_timestamp(SystemTime::now()),
        "pinned": false,
        "nonce": id.to_string(),
        "mentions": mentions,
        "mention_roles": [],
        "mention_everyone": false,
        "id": id.to_string(),
        "flags": 0,
        "embeds": [],
        "edited_timestamp": null,
        "content": content,
        "components": [],
        "channel_id": channel_id.to_string(),
        "author": user(author.id, &author.name, author.bot),
        "attachments": [],
    });
    if let Some(g) = guild_id {
        m["guild_id"] = json!(g.to_string());
        m["member"] = member(None);
    } else {
        m["channel_type"] = json!(1);
    }
    m
}

/// The Message object answered for a message the bot posted with `body`.
pub fn posted_message(id: u64, channel_id: u64, body: &Value) -> Value {
    serde_json::to_value(Posted::new(id, channel_id, body)).expect("a message serialises")
}

/// A message posted with `body`, written straight from the request body (nothing in it
/// is copied): what the REST response and the gateway's MESSAGE_CREATE carry.
pub struct Posted<'a> {
    id: u64,
    channel_id: u64,
    body: &'a Value,
    /// When it was posted: the same in every copy written.
    timestamp: String,
    /// The completed `message_reference` of a reply, and the message it replies to.
    pub reply: Option<(&'a Value, &'a Value)>,
    pub nonce: Option<&'a str>,
}

impl<'a> Posted<'a> {
    pub fn new(id: u64, channel_id: u64, body: &'a Value) -> Self {
        Posted {
            id,
            channel_id,
            body,
            timestamp: iso_timestamp(SystemTime::now()),
            reply: None,
            nonce: None,
        }
    }

    fn attachments(&self) -> Vec<Value> {
        let (id, channel_id) = (self.id, self.channel_id);
        self.body["attachments"]
            .as_array()
            .map(|a| {
                a.iter()
                    .enumerate()
                    .map(|(i, at)| {
                        let name = at["filename"].as_str().unwrap_or("file").to_string();
                        let url = format!(
                            "https://cdn.discordapp.com/attachments/{channel_id}/{}/{name}",
                            id + i as u64 + 1
                        );
                        json!({
                            "id": (id + i as u64 + 1).to_string(),
                            "filename": name,
                            "size": 0,
                            "url": url,
                            "proxy_url": url.replace("cdn.discordapp.com", "media.discordapp.net"),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl serde::Serialize for Posted<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        static NONE: [Value; 0] = [];
        let b = self.body;
        let embeds = b["embeds"].as_array().map_or(&NONE[..], Vec::as_slice);
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("type", &if self.reply.is_some() { 19 } else { 0 })?;
        m.serialize_entry("content", b["content"].as_str().unwrap_or_default())?;
        m.serialize_entry("mentions", &NONE)?;
        m.serialize_entry("mention_roles", &NONE)?;
        m.serialize_entry("timestamp", &self.timestamp)?;
        m.serialize_entry("edited_timestamp", &())?;
        m.serialize_entry("flags", &b["flags"].as_u64().unwrap_or(0))?;
        m.serialize_entry("id", &self.id.to_string())?;
        m.serialize_entry("channel_id", &self.channel_id.to_string())?;
        m.serialize_entry("pinned", &false)?;
        m.serialize_entry("mention_everyone", &false)?;
        m.serialize_entry("tts", &b["tts"].as_bool().unwrap_or(false))?;
        m.serialize_entry("attachments", &self.attachments())?;
        m.serialize_entry("embeds", &embeds.iter().map(RichEmbed).collect::<Vec<_>>())?;
        m.serialize_entry(
            "components",
            b.get("components").unwrap_or(&Value::Array(Vec::new())),
        )?;
        m.serialize_entry("author", bot_author())?;
        if let Some((reference, replied_to)) = self.reply {
            m.serialize_entry("message_reference", reference)?;
            m.serialize_entry("referenced_message", replied_to)?;
        }
        if let Some(n) = self.nonce {
            m.serialize_entry("nonce", n)?;
        }
        m.end()
    }
}

/// The bot's user object, as every message it posts carries it.
fn bot_author() -> &'static Value {
    static AUTHOR: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    AUTHOR.get_or_init(|| user(BOT_USER_ID, BOT_NAME, true))
}

/// INTERACTION_CREATE's `d`: `kind` 2 (command) or 4 (autocomplete).
pub fn interaction(
    kind: u64,
    sent: &SentInteraction,
    name: &str,
    options: Value,
    user_: &Author,
    channel_id: u64,
    guild_id: Option<u64>,
) -> Value {
    let u = user(user_.id, &user_.name, user_.bot);
    let mut d = json!({
        "version": 1,
        "type": kind,
        "token": sent.token,
        "locale": "en-GB",
        "id": sent.id.to_string(),
        "entitlements": [],
        "entitlement_sku_ids": [],
        "data": {
            "type": 1,
            "options": if options.is_null() { json!([]) } else { options },
            "name": name,
            "id": sent.command_id.to_string(),
        },
        "channel_id": channel_id.to_string(),
        "application_id": APPLICATION_ID.to_string(),
        "app_permissions": APP_PERMISSIONS,
        "attachment_size_limit": 10_485_760,
    });
    match guild_id {
        Some(g) => {
            let mut m = member(Some(u));
            m["permissions"] = json!("2248473465835073");
            d["member"] = m;
            d["guild_id"] = json!(g.to_string());
            d["guild_locale"] = json!("en-GB");
            d["guild"] = json!({ "id": g.to_string(), "locale": "en-GB", "features": [] });
            d["context"] = json!(0);
            d["authorizing_integration_owners"] = json!({ "0": g.to_string() });
            d["channel"] = json!({
                "id": channel_id.to_string(), "type": 0, "name": "general",
                "guild_id": g.to_string(), "permissions": "2248473465835073",
                "flags": 0, "parent_id": null, "nsfw": false, "position": 0,
                "last_message_id": null, "topic": null, "rate_limit_per_user": 0,
            });
        }
        None => {
            d["user"] = u.clone();
            d["context"] = json!(1);
            d["authorizing_integration_owners"] = json!({ "0": "0" });
            d["channel"] = json!({
                "id": channel_id.to_string(), "type": 1, "flags": 0,
                "recipients": [u], "last_message_id": null,
            });
        }
    }
    d
}

/// INTERACTION_CREATE type 3: `user` pressed button `custom_id` on `message`.
pub fn component_interaction(
    sent: &SentInteraction,
    custom_id: &str,
    message: Value,
    user_: &Author,
    channel_id: u64,
    guild_id: Option<u64>,
) -> Value {
    let mut d = interaction(3, sent, "", Value::Null, user_, channel_id, guild_id);
    d["data"] = json!({ "custom_id": custom_id, "component_type": 2 });
    d["message"] = message;
    d
}

/// `GET /oauth2/applications/@me`.
pub fn application() -> Value {
    json!({
        "id": APPLICATION_ID.to_string(),
        "name": BOT_NAME,
        "icon": null,
        "description": "",
        "summary": "",
        "type": null,
        "hook": true,
        "bot_public": true,
        "bot_require_code_grant": false,
        "verify_key": "6f1d3c2b0a99887766554433221100ffeeddccbbaa00112233445566778899aa",
        "flags": 8_945_664,
        "owner": user(OWNER_ID, "owner", false),
        "team": null,
        "bot": user(BOT_USER_ID, BOT_NAME, true),
        "redirect_uris": [],
        "interactions_endpoint_url": null,
        "role_connections_verification_url": null,
        "approximate_guild_count": 1,
        "approximate_user_install_count": 0,
        "approximate_user_authorization_count": 0,
        "explicit_content_filter": 0,
        "integration_types_config": { "0": {} },
        "tags": [],
        "rpc_origins": [],
        "is_monetized": false,
        "is_verified": false,
        "is_discoverable": false,
    })
}
