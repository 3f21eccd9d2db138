//! The `carebot` command: ask one question, run a console, check the knowledge base, or run
//! the Discord bot.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser as ClapParser, Subcommand};

use carebot::answer::{self, text};
use carebot::config::Config;
use carebot::knowledge::{self, Knowledge};
use carebot::query::{Mode, Parser};
use carebot::reload;

/// Answers questions about English councils' social services from a curated knowledge base.
#[derive(Debug, ClapParser)]
#[command(name = "carebot", version, about)]
struct Cli {
    /// The knowledge directory (default: the config's knowledge.dir, `knowledge`).
    #[arg(long, global = true, value_name = "DIR")]
    knowledge: Option<PathBuf>,
    /// The config file.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        default_value = "config/carebot.toml"
    )]
    config: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Answer one message as the bot would and print the answer.
    /// Exit status: 0 answered, 1 no answer, 2 usage or knowledge-base error.
    Ask {
        /// The message, e.g. "Who runs social services in Coventry?" or "!stars Birmingham".
        #[arg(required = true, num_args = 1..)]
        message: Vec<String>,
    },
    /// Read messages line by line from standard input and answer each, like a channel.
    Console,
    /// Validate the knowledge base and print what it holds.
    Check,
    /// Run the Discord bot with the token from the DISCORD_TOKEN environment variable.
    Run,
    /// Regenerate the knowledge files that come from the tables in knowledge/sources/.
    /// With --check, change nothing: exit 1 if the files differ from what the tables give.
    Import {
        #[arg(long)]
        check: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let default_filter = match cli.command {
        Command::Run => "carebot=info,serenity=warn,warn",
        _ => "warn",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter)),
        )
        .with_writer(carebot::redact::Stderr)
        .init();
    carebot::redact::install_panic_hook();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("carebot: {}", carebot::redact::redact(&message));
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    let config = load_config(&cli.config)?;
    let dir = cli
        .knowledge
        .unwrap_or_else(|| config.knowledge.dir.clone());
    if let Command::Import { check } = cli.command {
        return import(&dir, check);
    }
    let k = load_knowledge(&dir)?;
    let parser = Parser::new(&config.prefix);
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
        Command::Ask { message } => {
            let message = message.join(" ");
            match answer::ask(&k, &parser, &message, Mode::Direct, config.max_message_len) {
                Some(a) => {
                    print_out(&text::render(&a));
                    Ok(if a.is_reply() {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(1)
                    })
                }
                None => Ok(ExitCode::from(1)),
            }
        }
        Command::Console => console(&k, &parser, &config),
        Command::Run => run_bot(config, k, dir),
        Command::Import { .. } => unreachable!("handled before loading"),
    }
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
    let watch = config.knowledge.watch;
    let debounce = std::time::Duration::from_millis(config.knowledge.debounce_ms);
    let state = std::sync::Arc::new(carebot::discord::State::new(config, std::sync::Arc::new(k)));
    let _watcher = if watch {
        match reload::watch(dir.clone(), state.knowledge.clone(), debounce) {
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
    runtime.spawn(reload::on_sighup(dir, state.knowledge.clone()));
    match runtime.block_on(carebot::discord::run(state, &token)) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.to_string()),
    }
}

fn console(k: &Knowledge, parser: &Parser, config: &Config) -> Result<ExitCode, String> {
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let mut out = std::io::stdout().lock();
    if interactive {
        let _ = writeln!(
            out,
            "carebot console: ask a question or type a command (`help` lists them); Ctrl-D quits."
        );
    }
    let mut lines = stdin.lock().lines();
    loop {
        if interactive {
            let _ = write!(out, "> ");
            let _ = out.flush();
        }
        let Some(line) = lines.next() else { break };
        let line = line.map_err(|e| format!("cannot read standard input: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        if let Some(a) = answer::ask(k, parser, &line, Mode::Direct, config.max_message_len) {
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

fn load_config(path: &Path) -> Result<Config, String> {
    if !path.exists() {
        return Err(format!(
            "config file {} not found: run carebot from its directory or pass --config FILE",
            path.display()
        ));
    }
    Config::load(Some(path), |name| std::env::var(name).ok()).map_err(|e| e.to_string())
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
