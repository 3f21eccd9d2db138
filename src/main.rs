//! The `carebot` command: ask one question, run a console, check the knowledge base, regenerate
//! its imported files, run the Discord bot, check a running bot's health, or print shell
//! completions.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser as ClapParser, Subcommand};

use carebot::answer::{self, text};
use carebot::config::{self, Config, LogFormat};
use carebot::knowledge::{self, Knowledge};
use carebot::query::{Mode, Parser};
#[cfg(feature = "discord")]
use carebot::reload;

/// Answers questions about English councils' social services from a curated knowledge base.
#[derive(Debug, ClapParser)]
#[command(name = "carebot", version, about)]
struct Cli {
    /// The knowledge directory (default: the config's knowledge.dir, `knowledge`).
    #[arg(long, global = true, value_name = "DIR")]
    knowledge: Option<PathBuf>,
    /// The config file (default: config/carebot.toml when there is one, else built-in defaults).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Answer one message as the bot would and print the answer.
    /// Exit status: 0 answered, 1 no answer, 2 usage or knowledge-base error.
    Ask {
        /// Also write the answer's chart to FILE as a PNG (`!chart Birmingham`); an answer
        /// with no chart says so on standard error and writes nothing.
        #[arg(long, value_name = "FILE")]
        chart: Option<PathBuf>,
        /// The message, e.g. "Who runs social services in Coventry?" or "!stars Birmingham".
        #[arg(required = true, num_args = 1..)]
        message: Vec<String>,
    },
    /// Read messages line by line from standard input and answer each, like a channel.
    Console,
    /// Validate the knowledge base and print what it holds.
    Check,
    /// List the questions the bot could not answer, grouped and counted, most frequent first:
    /// unknown names, missing facts and phrasings not understood.
    Gaps {
        /// The gaps file (default: the config's gaps.file, `data/gaps.jsonl`).
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Run the Discord bot with the token from the DISCORD_TOKEN environment variable.
    #[cfg(feature = "discord")]
    Run,
    /// Ask a running bot's /healthz (at metrics.listen) whether it is healthy, as a container
    /// health check. Exit status: 0 healthy, 1 not (or not answering), 2 when metrics.listen
    /// is not set.
    #[cfg(feature = "discord")]
    Health,
    /// Regenerate the knowledge files that come from the tables in knowledge/sources/.
    /// With --check, change nothing: exit 1 if the files differ from what the tables give.
    Import {
        #[arg(long)]
        check: bool,
    },
    /// Print a completion script for a shell: `carebot completions bash > carebot.bash`.
    Completions {
        /// The shell: bash, elvish, fish, powershell or zsh.
        shell: clap_complete::Shell,
    },
}

/// What the command line logs unless `RUST_LOG` says otherwise.
const CLI_LOGS: &str = "warn";
/// What the bot logs unless `RUST_LOG` says otherwise. serenity logs a gateway payload it
/// cannot read (a user's message among them) at warn, so its gateway reader logs errors only.
#[cfg(feature = "discord")]
const BOT_LOGS: &str = "carebot=info,serenity=warn,serenity::gateway::ws=error,warn";

/// The config file read when `--config` is not given, if it exists.
const DEFAULT_CONFIG: &str = "config/carebot.toml";

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Completions need neither the config nor the knowledge base.
    if let Command::Completions { shell } = cli.command {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "carebot", &mut script);
        // A closed pipe (`carebot completions bash | head`) is not an error.
        let _ = std::io::stdout().lock().write_all(&script);
        return ExitCode::SUCCESS;
    }
    #[cfg(feature = "discord")]
    let default_filter = if matches!(cli.command, Command::Run) {
        BOT_LOGS
    } else {
        CLI_LOGS
    };
    #[cfg(not(feature = "discord"))]
    let default_filter = CLI_LOGS;
    // The config says how to log, so it is read first; its errors are printed after.
    let loaded = load_config(cli.config.as_deref());
    let format = loaded
        .as_ref()
        .map_or(LogFormat::Text, |(c, _)| c.log_format);
    init_logging(format, default_filter);
    carebot::redact::install_panic_hook();
    for unknown in config::unknown_vars(std::env::vars_os().map(|(name, _)| name)) {
        tracing::warn!("{unknown}");
    }
    let result = loaded.and_then(|(config, file)| {
        match file {
            Some(f) => tracing::debug!(file = %f.display(), "config read"),
            None => tracing::debug!("no {DEFAULT_CONFIG} here: using the built-in defaults"),
        }
        // The health check needs the config but not the knowledge base.
        #[cfg(feature = "discord")]
        if matches!(cli.command, Command::Health) {
            return health(&config);
        }
        run(cli, config)
    });
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("carebot: {}", carebot::redact::redact(&message));
            ExitCode::from(2)
        }
    }
}

/// Logs to standard error, redacted: as text, coloured only on a terminal (and not under
/// `NO_COLOR`), or as JSON lines. `RUST_LOG` overrides `default_filter`.
fn init_logging(format: LogFormat, default_filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(carebot::redact::Stderr);
    match format {
        LogFormat::Text => {
            let no_colour = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            logs.with_ansi(std::io::stderr().is_terminal() && !no_colour)
                .init()
        }
        LogFormat::Json => logs.json().init(),
    }
}

fn run(cli: Cli, config: Config) -> Result<ExitCode, String> {
    if let Command::Gaps { file } = &cli.command {
        let file = file.as_deref().unwrap_or(&config.gaps.file);
        let report = carebot::gaps::Report::read(file)
            .map_err(|e| format!("cannot read the gaps file {}: {e}", file.display()))?;
        let _ = write!(std::io::stdout().lock(), "{report}");
        return Ok(ExitCode::SUCCESS);
    }
    let dir = cli
        .knowledge
        .unwrap_or_else(|| config.knowledge.dir.clone());
    if let Command::Import { check } = cli.command {
        return import(&dir, check);
    }
    // The parser's patterns compile while the knowledge loads.
    let (k, parser) = std::thread::scope(|s| {
        let parser = s.spawn(|| Parser::new(&config.prefix));
        let k = load_knowledge(&dir);
        (
            k,
            parser.join().expect("building the parser does not panic"),
        )
    });
    let k = k?;
    match cli.command {
        Command::Check => {
            let c = k.counts();
            let parts = [
                (c.sources, "source", "sources"),
                (c.councils, "council", "councils"),
                (c.people, "person", "people"),
                (c.schemes, "scheme", "schemes"),
                (c.ratings, "rating", "ratings"),
                (c.figures, "figure", "figures"),
                (c.regions, "region", "regions"),
                (c.quotes, "quote", "quotes"),
            ];
            let parts: Vec<String> = parts
                .iter()
                .map(|&(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
                .collect();
            print_out(&format!("{}: OK: {}", dir.display(), parts.join(", ")));
            Ok(ExitCode::SUCCESS)
        }
        Command::Ask { chart, message } => {
            let message = message.join(" ");
            let max = config.max_message_len;
            let (a, drawn) = match &chart {
                None => (answer::ask(&k, &parser, &message, Mode::Direct, max), None),
                Some(_) => match answer::ask_charted(&k, &parser, &message, Mode::Direct, max) {
                    Some((a, c)) => (Some(a), c),
                    None => (None, None),
                },
            };
            let Some(a) = a else {
                return Ok(ExitCode::from(1));
            };
            print_out(&text::render(&a));
            if let Some(file) = &chart {
                write_chart(file, drawn.as_ref())?;
            }
            Ok(if a.is_reply() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Console => console(&k, &parser, &config),
        Command::Gaps { .. } => unreachable!("handled before the knowledge is loaded"),
        #[cfg(feature = "discord")]
        Command::Run => run_bot(config, k, dir),
        Command::Completions { .. } => unreachable!("printed before the config is read"),
        #[cfg(feature = "discord")]
        Command::Health => unreachable!("checked before the knowledge is read"),
        Command::Import { .. } => unreachable!("handled before loading"),
    }
}

/// Writes the PNG of `chart` to `file`; without a chart, says so and writes nothing.
fn write_chart(file: &Path, chart: Option<&carebot::chart::Chart>) -> Result<(), String> {
    let Some(chart) = chart else {
        eprintln!(
            "carebot: this answer has no chart; {} was not written",
            file.display()
        );
        return Ok(());
    };
    let png = carebot::chart::render(chart).map_err(|e| e.to_string())?;
    std::fs::write(file, &png.bytes)
        .map_err(|e| format!("cannot write the chart to {}: {e}", file.display()))
}

/// Regenerates (or with `check`, compares) the files generated from tables.
fn import(dir: &Path, check: bool) -> Result<ExitCode, String> {
    use carebot::import;
    let generated = import::generate(dir).map_err(|e| format!("import failed: {e}"))?;
    if check {
        let stale = import::stale(dir, &generated);
        if !stale.is_empty() {
            let names: Vec<String> = stale
                .iter()
                .map(|n| dir.join(n).display().to_string())
                .collect();
            eprintln!(
                "carebot: {} not what the sources give: run `carebot import` and commit the result",
                names.join(", ") + if stale.len() == 1 { " is" } else { " are" }
            );
            return Ok(ExitCode::from(1));
        }
        print_out(&format!(
            "{}: generated files are up to date",
            dir.display()
        ));
    } else {
        import::write(dir, &generated)?;
        print_out(&format!(
            "{}: wrote {}: {}",
            dir.display(),
            generated
                .files
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", "),
            import::summary(&generated)
        ));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(feature = "discord")]
fn run_bot(config: Config, k: Knowledge, dir: PathBuf) -> Result<ExitCode, String> {
    let token = match std::env::var("DISCORD_TOKEN") {
        Ok(t) if !t.trim().is_empty() => {
            carebot::redact::hide(t.trim());
            t.trim().to_string()
        }
        _ => {
            return Err(
                "DISCORD_TOKEN is not set: export DISCORD_TOKEN=<your bot token> (from the developer portal, Bot > Reset Token) and run again"
                    .into(),
            )
        }
    };
    let runtime =
        tokio::runtime::Runtime::new().map_err(|e| format!("cannot start the runtime: {e}"))?;
    k.warm();
    let watch = config.knowledge.watch;
    let debounce = std::time::Duration::from_millis(config.knowledge.debounce_ms);
    let state = std::sync::Arc::new(carebot::discord::State::new(config, std::sync::Arc::new(k)));
    let metrics = state.metrics.clone();
    let report: reload::Report = std::sync::Arc::new(move |result| metrics.reloaded(result));
    let _watcher = if watch {
        match reload::watch(
            dir.clone(),
            state.knowledge.clone(),
            debounce,
            report.clone(),
        ) {
            Ok(w) => Some(w),
            Err(e) => {
                tracing::warn!(error = %e, "cannot watch the knowledge directory; reload with SIGHUP instead");
                None
            }
        }
    } else {
        None
    };
    #[cfg(unix)]
    runtime.spawn(reload::on_sighup(dir, state.knowledge.clone(), report));
    match runtime.block_on(carebot::discord::run(state, &token)) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.to_string()),
    }
}

/// The longest the health check waits for the bot, connecting and reading.
#[cfg(feature = "discord")]
const HEALTH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// Asks `/healthz` at `metrics.listen` (on the loopback when it listens on every address),
/// prints its answer and exits 0 when it is 200, else 1.
#[cfg(feature = "discord")]
fn health(config: &Config) -> Result<ExitCode, String> {
    use std::io::Read;
    let Some(mut addr) = config.metrics.listen else {
        return Err(
            "metrics.listen is not set, so the bot serves no /healthz: set it (or CAREBOT_METRICS_LISTEN) for both the bot and the check"
                .into(),
        );
    };
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr {
            std::net::SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            std::net::SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    let answer = (|| {
        let mut s = std::net::TcpStream::connect_timeout(&addr, HEALTH_TIMEOUT)?;
        s.set_read_timeout(Some(HEALTH_TIMEOUT))?;
        s.set_write_timeout(Some(HEALTH_TIMEOUT))?;
        write!(
            s,
            "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )?;
        let mut text = String::new();
        s.take(64 * 1024).read_to_string(&mut text)?;
        Ok::<_, std::io::Error>(text)
    })();
    let text = match answer {
        Ok(t) => t,
        Err(e) => {
            print_out(&format!(
                "unhealthy: no answer from http://{addr}/healthz: {e}"
            ));
            return Ok(ExitCode::from(1));
        }
    };
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let healthy = head.split(' ').nth(1) == Some("200");
    print_out(&format!(
        "{}: {}",
        if healthy { "healthy" } else { "unhealthy" },
        body.trim()
    ));
    Ok(if healthy {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn console(k: &Knowledge, parser: &Parser, config: &Config) -> Result<ExitCode, String> {
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let mut out = std::io::stdout().lock();
    if interactive {
        let _ = writeln!(
            out,
            "carebot console: ask a question or type a command (`{}` lists them); Ctrl-D quits.",
            carebot::query::registry::CommandId::Help.command().name
        );
    }
    let mut input = stdin.lock();
    let mut bytes = Vec::new();
    for number in 1u64.. {
        if interactive {
            let _ = write!(out, "> ");
            let _ = out.flush();
        }
        bytes.clear();
        let read = input
            .read_until(b'\n', &mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        if read == 0 {
            break;
        }
        let Ok(line) = std::str::from_utf8(&bytes) else {
            eprintln!("carebot: line {number} is not UTF-8 text and was skipped");
            continue;
        };
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        if let Some(a) = answer::ask(k, parser, line, Mode::Direct, config.max_message_len) {
            if writeln!(out, "{}\n", text::render(&a)).is_err() {
                // The reader went away (a closed pipe): nothing more to answer.
                break;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints a line to standard output; a closed pipe (`carebot ask … | head`) is not an error.
fn print_out(text: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

/// The config, and the file it was read from: `given`, which must exist, or else
/// [`DEFAULT_CONFIG`] when it exists, or else none (built-in defaults).
fn load_config(given: Option<&Path>) -> Result<(Config, Option<PathBuf>), String> {
    let file = match given {
        Some(path) if !path.exists() => {
            return Err(format!(
                "config file {} not found: run carebot from its directory or pass --config FILE",
                path.display()
            ))
        }
        Some(path) => Some(path.to_path_buf()),
        None => Some(PathBuf::from(DEFAULT_CONFIG)).filter(|p| p.exists()),
    };
    let config =
        Config::load(file.as_deref(), |name| std::env::var_os(name)).map_err(|e| e.to_string())?;
    Ok((config, file))
}

fn load_knowledge(dir: &Path) -> Result<Knowledge, String> {
    if !dir.is_dir() {
        return Err(format!(
            "knowledge directory {} not found: run carebot from its directory or pass --knowledge DIR",
            dir.display()
        ));
    }
    knowledge::load_dir(dir).map_err(|e| format!("the knowledge base has errors:\n{e}"))
}

#[cfg(all(test, feature = "discord"))]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A log writer into a shared buffer.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_bots_logs_leave_out_gateway_payloads_a_user_wrote() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(BOT_LOGS))
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            // What serenity writes when a MESSAGE_CREATE does not deserialise.
            tracing::warn!(target: "serenity::gateway::ws", "Err deserializing text: x; text: {{\"content\":\"my address\"}}");
            tracing::warn!(target: "serenity::gateway::shard", "Sequence off");
            tracing::info!(target: "serenity::gateway::shard", "Resumed");
            tracing::info!(target: "carebot::discord", "connected");
        });
        let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert!(!logs.contains("my address"), "{logs}");
        assert!(
            logs.contains("Sequence off") && logs.contains("connected"),
            "{logs}"
        );
        assert!(!logs.contains("Resumed"), "{logs}");
    }
}
