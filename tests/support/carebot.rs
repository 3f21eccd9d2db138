//! carebot itself, wired to the fake Discord: the real handler, poster and shard start-up.

use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use carebot::config::{Config, ShardMode};
use carebot::discord::{self, RunError, State};
use carebot::knowledge::{load_dir, Knowledge};
use serenity::gateway::ShardManager;
use tokio::task::JoinHandle;

use fake_discord::{FakeDiscord, GUILD_ID};

/// The token tests give carebot.
pub const TOKEN: &str = "Carebot.Test.Token-0123456789";

/// The bundled knowledge base, loaded once per test binary.
pub fn bundled() -> Arc<Knowledge> {
    static K: OnceLock<Arc<Knowledge>> = OnceLock::new();
    K.get_or_init(|| {
        Arc::new(load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge")).unwrap())
    })
    .clone()
}

/// Settings for a bot talking to `fake`: its REST base, one shard, guild command registration,
/// no gaps file (tests that want one set `gaps.file`).
pub fn config_for(fake: &FakeDiscord) -> Config {
    let mut config = Config::default();
    config.gaps.enabled = false;
    config.discord.api_base = Some(fake.base_url());
    config.discord.guilds = vec![GUILD_ID];
    config.discord.shards = ShardMode::Range;
    config.knowledge.watch = false;
    config
}

/// carebot running against the fake in a background task.
pub struct Running {
    pub state: Arc<State>,
    pub shard_manager: Arc<ShardManager>,
    task: JoinHandle<Result<(), RunError>>,
}

impl Running {
    /// Shuts the shards down and waits for the bot to stop.
    pub async fn shutdown(self) -> Option<Result<(), RunError>> {
        self.shard_manager.shutdown_all().await;
        tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .ok()
            .and_then(Result::ok)
    }

    /// Waits for the bot to stop on its own, as it does on a fatal close code.
    pub async fn wait_exit(self, timeout: Duration) -> Option<Result<(), RunError>> {
        tokio::time::timeout(timeout, self.task)
            .await
            .ok()
            .and_then(Result::ok)
    }
}

/// Starts carebot with `config` and `knowledge` against `fake`, and waits until it has
/// identified.
pub async fn start(fake: &FakeDiscord, config: Config, knowledge: Arc<Knowledge>) -> Running {
    let discord_config = config.discord.clone();
    let state = Arc::new(State::new(config, knowledge));
    let client = discord::client(state.clone(), TOKEN)
        .await
        .expect("carebot client against the fake");
    let shard_manager = client.shard_manager.clone();
    let task = tokio::spawn(async move { discord::serve(client, &discord_config).await });
    fake.wait_identified(Duration::from_secs(10))
        .await
        .expect("carebot identified");
    Running {
        state,
        shard_manager,
        task,
    }
}

/// The `carebot` binary run with `args` in `dir` against the stand-in (guild-scoped, shards by
/// range, no file watching), with `vars` on top; its standard error is gathered into the log
/// returned beside it.
pub fn spawn_binary(
    fake: &FakeDiscord,
    dir: &Path,
    args: &[&str],
    vars: &[(&str, &str)],
) -> (std::process::Child, Arc<std::sync::Mutex<String>>) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_carebot"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env("DISCORD_TOKEN", TOKEN)
        .env("CAREBOT_DISCORD_API_BASE", fake.base_url())
        .env("CAREBOT_DISCORD_SHARDS", "range")
        .env("CAREBOT_DISCORD_GUILDS", GUILD_ID.to_string())
        .env("CAREBOT_KNOWLEDGE_WATCH", "false")
        .env("NO_COLOR", "1")
        .envs(vars.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the carebot binary");
    let log = Arc::new(std::sync::Mutex::new(String::new()));
    let pipe = child.stderr.take().expect("piped");
    std::thread::spawn({
        let log = log.clone();
        move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let mut l = log.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        }
    });
    (child, log)
}
