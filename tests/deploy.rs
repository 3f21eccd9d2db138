//! What an operator deploys with: shell completions, and the container and systemd files in
//! `deploy/` as the README describes them.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use fake_discord::*;

/// `carebot completions <shell>`, run where there is neither a config nor a knowledge base.
fn completions(shell: &str) -> (i32, String, String) {
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_carebot"))
        .args(["completions", shell])
        .current_dir(empty.path())
        .output()
        .expect("run carebot");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn completions_cover_every_subcommand_and_global_option() {
    let (code, bash, stderr) = completions("bash");
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(bash.contains("complete -F _carebot"), "{bash}");
    for sub in [
        "ask",
        "console",
        "check",
        "run",
        "health",
        "import",
        "completions",
    ] {
        assert!(
            bash.contains(&format!("carebot,{sub})")),
            "no {sub} in:\n{bash}"
        );
    }
    for option in ["--knowledge", "--config"] {
        assert!(bash.contains(option), "no {option}");
    }
    // The shells a completion can be made for are completed too.
    assert!(bash.contains("bash elvish fish powershell zsh"), "{bash}");
    let (code, zsh, _) = completions("zsh");
    assert_eq!(code, 0);
    assert!(zsh.starts_with("#compdef carebot"), "{zsh}");
    let (code, fish, _) = completions("fish");
    assert_eq!(code, 0);
    assert!(fish.contains("complete -c carebot"), "{fish}");
}

#[test]
fn an_unknown_shell_is_refused() {
    let (code, out, stderr) = completions("tcsh");
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        stderr.contains("invalid value 'tcsh' for '<SHELL>'"),
        "{stderr}"
    );
}

/// The repository's root.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The README's "Running in production" section.
fn production() -> String {
    let readme = read("README.md");
    let start = readme
        .find("\n## Running in production\n")
        .expect("a Running in production section");
    let rest = &readme[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    rest[..end].to_string()
}

/// The commands in a text's ```sh blocks, one a line, continuation lines joined and comments
/// left out.
fn commands(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for block in text.split("```sh\n").skip(1) {
        let block = block.split("```").next().unwrap();
        let joined = block.replace("\\\n", " ");
        for line in joined.lines() {
            let line = line.split(" # ").next().unwrap().trim();
            if !line.is_empty() {
                out.push(line.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
    }
    out
}

/// A Dockerfile's instructions in order: the keyword and its arguments, continuation lines
/// joined and comments left out.
fn instructions(dockerfile: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in dockerfile.lines() {
        let line = line.trim();
        if line.starts_with('#') || (line.is_empty() && current.is_empty()) {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(part) => current.push_str(part),
            None => {
                current.push_str(line);
                let text = current.split_whitespace().collect::<Vec<_>>().join(" ");
                let (keyword, args) = text.split_once(' ').expect("an instruction with arguments");
                out.push((keyword.to_string(), args.to_string()));
                current.clear();
            }
        }
    }
    out
}

/// The one argument list of the instructions named `keyword` in the final stage.
fn in_final_stage(instructions: &[(String, String)], keyword: &str) -> String {
    let stage = instructions
        .iter()
        .rposition(|(k, _)| k == "FROM")
        .expect("a stage");
    let found: Vec<&String> = instructions[stage..]
        .iter()
        .filter(|(k, _)| k == keyword)
        .map(|(_, a)| a)
        .collect();
    assert_eq!(found.len(), 1, "{keyword} in the final stage: {found:?}");
    found[0].clone()
}

/// `carebot <args> --help`, run where there is neither a config nor a knowledge base: whether
/// clap took `args` as a command line, and the help's first line.
fn parses(args: &[&str]) -> (bool, String) {
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_carebot"))
        .args(args)
        .arg("--help")
        .current_dir(empty.path())
        .output()
        .expect("run carebot");
    let help = String::from_utf8(out.stdout).unwrap();
    (
        out.status.success(),
        help.lines().next().unwrap_or("").to_string(),
    )
}

#[test]
fn the_subcommand_check_refuses_what_carebot_does_not_have() {
    assert_eq!(
        parses(&["run"]),
        (
            true,
            "Run the Discord bot with the token from the DISCORD_TOKEN environment variable".into()
        )
    );
    assert!(!parses(&["serve"]).0);
    assert!(!parses(&["run", "--daemon"]).0);
}

#[test]
fn the_dockerfile_is_what_the_readme_says() {
    let section = production();
    let commands = commands(&section);
    let dockerfile = read("deploy/Dockerfile");
    let steps = instructions(&dockerfile);

    // Built from the repository root with the file the README names.
    let build = commands
        .iter()
        .find(|c| c.starts_with("docker build"))
        .expect("a docker build command");
    assert_eq!(build, "docker build -f deploy/Dockerfile -t carebot .");

    // Two stages: the toolchain the README names, at least the crate's rust-version, running
    // the cargo command it quotes; then the runtime image it names, given the binary alone.
    let stages: Vec<&String> = steps
        .iter()
        .filter(|(k, _)| k == "FROM")
        .map(|(_, a)| a)
        .collect();
    assert_eq!(
        stages,
        [
            "rust:1.95-bookworm AS build",
            "gcr.io/distroless/cc-debian12:nonroot"
        ]
    );
    assert!(section
        .contains("`rust:1.95-bookworm` runs\n`cargo build --release --locked --bin carebot`"));
    assert!(section.contains("`gcr.io/distroless/cc-debian12:nonroot`"));
    let manifest = read("Cargo.toml");
    let minimum = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .unwrap()
        .trim_matches('"');
    assert!(
        version(minimum) <= version("1.95"),
        "rust-version {minimum}"
    );
    let build_step = steps
        .iter()
        .find(|(k, a)| k == "RUN" && a.contains("cargo build"))
        .expect("a cargo build step");
    assert!(
        build_step
            .1
            .contains("cargo build --release --locked --bin carebot && cp target/release/carebot /usr/local/bin/carebot"),
        "{build_step:?}"
    );
    assert!(steps
        .iter()
        .any(|(k, a)| k == "COPY"
            && a == "--from=build /usr/local/bin/carebot /usr/local/bin/carebot"));

    // Runs `carebot run` as the user, in the directory and with the volumes the README's
    // `docker run` mounts.
    assert_eq!(in_final_stage(&steps, "USER"), "65532:65532");
    assert!(section.contains("the unprivileged user 65532 in `/srv/carebot`"));
    assert_eq!(in_final_stage(&steps, "WORKDIR"), "/srv/carebot");
    let run = commands
        .iter()
        .find(|c| c.starts_with("docker run"))
        .expect("a docker run command");
    let words: Vec<&str> = run.split(' ').collect();
    let mounted: Vec<String> = words
        .windows(2)
        .filter(|w| w[0] == "-v")
        .map(|w| {
            let parts: Vec<&str> = w[1].trim_matches('"').split(':').collect();
            format!("\"{}\"", parts[1])
        })
        .collect();
    assert_eq!(
        format!("[{}]", mounted.join(", ")),
        in_final_stage(&steps, "VOLUME"),
        "{run}"
    );
    assert_eq!(
        in_final_stage(&steps, "VOLUME"),
        r#"["/srv/carebot/knowledge", "/srv/carebot/config", "/srv/carebot/data"]"#
    );
    for dir in ["knowledge", "config"] {
        assert!(steps
            .iter()
            .any(|(k, a)| k == "COPY" && a == &format!("{dir}/ {dir}/")));
        assert!(root().join(dir).is_dir());
    }
    assert_eq!(words.last(), Some(&"carebot"), "{run}");
    assert_eq!(in_final_stage(&steps, "ENTRYPOINT"), r#"["carebot"]"#);
    assert_eq!(in_final_stage(&steps, "CMD"), r#"["run"]"#);
    assert!(parses(&["run"]).0);

    // The token comes from the environment only: the image has none, `docker run` passes it.
    assert!(!dockerfile.contains("DISCORD_TOKEN"), "{dockerfile}");
    assert!(
        words.windows(2).any(|w| w == ["--env-file", "carebot.env"]),
        "{run}"
    );
    assert!(commands
        .iter()
        .any(|c| c.starts_with("printf 'DISCORD_TOKEN=%s\\n'") && c.contains("> carebot.env")));

    // Metrics on the port the README publishes, which carebot's config takes, and the health
    // check asks it with a real subcommand well within its timeout.
    assert_eq!(
        in_final_stage(&steps, "ENV"),
        "CAREBOT_METRICS_LISTEN=0.0.0.0:9100"
    );
    assert_eq!(in_final_stage(&steps, "EXPOSE"), "9100");
    assert!(words.windows(2).any(|w| w == ["-p", "127.0.0.1:9100:9100"]));
    let config = carebot::config::Config::load(None, |name| {
        (name == "CAREBOT_METRICS_LISTEN").then(|| "0.0.0.0:9100".into())
    })
    .unwrap();
    assert_eq!(config.metrics.listen, Some("0.0.0.0:9100".parse().unwrap()));
    // The gaps file, by default under data/, is in the volume the unprivileged user owns.
    assert_eq!(config.gaps.file, Path::new("data/gaps.jsonl"));
    assert!(
        build_step.1.ends_with("&& mkdir -p /out/data"),
        "{build_step:?}"
    );
    assert!(steps
        .iter()
        .any(|(k, a)| k == "COPY" && a == "--from=build --chown=65532:65532 /out/ ./"));
    assert_eq!(
        in_final_stage(&steps, "HEALTHCHECK"),
        r#"--interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["carebot", "health"]"#
    );
    assert!(section.contains("`HEALTHCHECK` runs `carebot health` every 30 s"));
    let (parsed, help) = parses(&["health"]);
    assert!(parsed);
    assert!(
        help.starts_with("Ask a running bot's /healthz (at metrics.listen) whether it is healthy"),
        "{help}"
    );

    // The build context leaves out the build output, and keeps what the build copies.
    let ignored = read(".dockerignore");
    let ignored: Vec<&str> = ignored
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert!(ignored.contains(&"target") && ignored.contains(&".git"));
    // A local carebot's gaps file holds what people asked: it stays out of the image.
    assert!(ignored.contains(&"data"));
    for kept in [
        "Cargo.toml",
        "Cargo.lock",
        "src",
        "knowledge",
        "config",
        "tests",
        "benches",
    ] {
        assert!(
            !ignored.contains(&kept),
            "{kept} is left out of the build context"
        );
    }
}

/// "1.95" as numbers, to compare.
fn version(v: &str) -> Vec<u32> {
    v.split('.').map(|n| n.parse().unwrap()).collect()
}

/// The systemd unit's settings, each key to its values in order, all sections together.
fn unit() -> BTreeMap<String, Vec<String>> {
    let mut settings: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in read("deploy/carebot.service").lines() {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with('[') || line.is_empty() {
            continue;
        }
        let (key, value) = line.split_once('=').expect("key=value");
        settings
            .entry(key.to_string())
            .or_default()
            .push(value.to_string());
    }
    settings
}

#[test]
fn the_service_file_is_what_the_readme_says() {
    let section = production();
    let commands = commands(&section);
    let unit = unit();
    let one = |key: &str| -> &str {
        let values = unit.get(key).unwrap_or_else(|| panic!("no {key}"));
        assert_eq!(values.len(), 1, "{key}: {values:?}");
        &values[0]
    };

    // `carebot run` from the path the README installs it at, in the directory it fills.
    assert_eq!(one("ExecStart"), "/usr/local/bin/carebot run");
    assert_eq!(
        parses(&one("ExecStart").split(' ').skip(1).collect::<Vec<_>>()),
        parses(&["run"])
    );
    assert!(parses(&["run"]).0);
    assert!(commands.contains(
        &"sudo install -m 755 target/release/carebot /usr/local/bin/carebot".to_string()
    ));
    assert_eq!(one("WorkingDirectory"), "/srv/carebot");
    assert!(commands
        .iter()
        .any(|c| c.contains("sudo cp -r knowledge config /srv/carebot/")));
    assert!(section.contains("runs `/usr/local/bin/carebot run` in `/srv/carebot`"));
    assert!(commands.contains(
        &"sudo install -m 644 deploy/carebot.service /etc/systemd/system/carebot.service"
            .to_string()
    ));

    // Reload is SIGHUP; the token is in a root-only environment file, never in the unit.
    assert_eq!(one("ExecReload"), "/bin/kill -HUP $MAINPID");
    assert!(commands.contains(&"sudo systemctl reload carebot".to_string()));
    assert_eq!(one("EnvironmentFile"), "/etc/carebot/carebot.env");
    assert!(
        commands.contains(&"sudo install -m 600 /dev/null /etc/carebot/carebot.env".to_string())
    );
    assert_eq!(
        one("Environment"),
        "CAREBOT_GAPS_FILE=/var/lib/carebot/gaps.jsonl"
    );
    assert_eq!(one("StateDirectory"), "carebot");
    let config = carebot::config::Config::load(None, |name| {
        (name == "CAREBOT_GAPS_FILE").then(|| "/var/lib/carebot/gaps.jsonl".into())
    })
    .unwrap();
    assert_eq!(config.gaps.file, Path::new("/var/lib/carebot/gaps.jsonl"));
    assert!(section.contains("The gaps file is `/var/lib/carebot/gaps.jsonl`"));
    assert!(section.contains("`DISCORD_TOKEN=…` in `/etc/carebot/carebot.env`"));

    // Restarted after a failure, except after the status of what retrying cannot fix.
    assert_eq!(one("Restart"), "on-failure");
    assert_eq!(one("RestartPreventExitStatus"), "2");
    for (key, value) in [
        ("DynamicUser", "yes"),
        ("NoNewPrivileges", "yes"),
        ("ProtectSystem", "strict"),
        ("ProtectHome", "yes"),
        ("CapabilityBoundingSet", ""),
        ("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX"),
    ] {
        assert_eq!(one(key), value, "{key}");
    }
}

/// `ratings.toml` with Solihull rated three stars, a valid edit.
fn three_stars(good: &str) -> String {
    good.replacen("stars = 2", "stars = 3", 1).replacen(
        "has a two-star rating\"\n",
        "has a two-star rating\"\nquote_note = \"Corrected from the inspectorate's table.\"\n",
        1,
    )
}

/// The unit's `ExecReload`, run against a real `carebot run` in a directory laid out as the
/// unit's `WorkingDirectory`: the bot answers from the edited knowledge.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_units_reload_makes_the_bot_answer_from_the_edited_knowledge() {
    const WAIT: Duration = Duration::from_secs(20);
    let fake = FakeDiscord::start().await;
    let (work, knowledge) = support::bundled::copy_knowledge();
    let (mut child, log) = support::carebot::spawn_binary(&fake, work.path(), &["run"], &[]);
    assert!(fake.wait_live(WAIT).await);
    let stars = |n: usize| {
        let fake = &fake;
        async move {
            let user = Author::user(USER_ID + n as u64, "asker");
            fake.message_create(CHANNEL_ID, &user, "!stars Solihull", Some(GUILD_ID), false);
            let replies = fake.wait_for_messages(n, WAIT).await;
            assert_eq!(replies.len(), n);
            // The article's claim, in the field of its round.
            let embed = &replies[n - 1].embeds[0];
            let fields = embed["fields"].as_array().cloned().unwrap_or_default();
            fields
                .iter()
                .filter_map(|f| f["value"].as_str())
                .flat_map(str::lines)
                .find(|l| l.contains("when the article was published"))
                .unwrap_or_default()
                .to_string()
        }
    };
    assert_eq!(
        stars(1).await,
        "★★☆ 2 stars · social services, November 2004, when the article was published:"
    );

    let ratings = knowledge.join("ratings.toml");
    let good = std::fs::read_to_string(&ratings).unwrap();
    std::fs::write(&ratings, three_stars(&good)).unwrap();
    let reload = unit()["ExecReload"][0].replace("$MAINPID", &child.id().to_string());
    let mut words = reload.split(' ');
    let sent = Command::new(words.next().unwrap())
        .args(words)
        .status()
        .unwrap();
    assert!(sent.success(), "{reload}");
    let end = Instant::now() + WAIT;
    while !log.lock().unwrap().contains("knowledge reloaded") {
        assert!(Instant::now() < end, "no reload:\n{}", log.lock().unwrap());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        stars(2).await,
        "★★★ 3 stars · social services, November 2004, when the article was published:"
    );
    let _ = child.kill();
    let _ = child.wait();
    fake.shutdown().await;
}
