//! The `carebot` command as people run it: `ask` and its exit codes, `console` over standard
//! input, `check`, and what happens when the knowledge directory or config file is missing.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const SOURCE: &str = "Source: Community Care, “Stars in the making”, 19 November 2004";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs carebot in the project directory (where `config/` and `knowledge/` are) with `args`,
/// feeding it `stdin`.
fn carebot_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_carebot"))
        .current_dir(dir)
        .args(args)
        .env_remove("RUST_LOG")
        .env_remove("CAREBOT_PREFIX")
        .env_remove("CAREBOT_KNOWLEDGE_DIR")
        .env_remove("CAREBOT_MAX_MESSAGE_LEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("carebot starts");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().expect("carebot exited by itself"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 output"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 errors"),
    }
}

fn carebot(args: &[&str]) -> Run {
    carebot_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, b"")
}

fn project() -> &'static str {
    env!("CARGO_MANIFEST_DIR")
}

// ----- ask -----

#[test]
fn ask_exits_0_with_an_answer() {
    let r = carebot(&["ask", "Who runs social services in Coventry?"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    assert_eq!(
        r.stdout,
        [
            "Coventry: who leads social services",
            "John Bolton led social services at Coventry in November 2004.",
            "",
            "John Bolton:",
            "  Social services and housing director, Coventry City Council (since about 2002, in post for the two years before the article)",
            "  “Improving children’s services is also on John Bolton’s mind and has been ever since he became social services and housing director at Coventry. He has been in post for the last two years”",
            "",
            SOURCE,
            "",
        ]
        .join("\n")
    );
}

#[test]
fn ask_joins_its_words_into_one_message() {
    let r = carebot(&["ask", "!stars", "Solihull"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout.lines().take(2).collect::<Vec<_>>(),
        [
            "Solihull: star rating",
            "Star ratings of councils' social services ran from May 2002 to November 2008 (adult social care only from 2006) and ended in 2008."
        ]
    );
    let r = carebot(&["ask", "What", "is", "Birmingham's", "star", "rating?"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout.lines().next(), Some("Birmingham: star rating"));
    assert!(
        r.stdout.lines().any(|l| l
            == "  ⚠ The sources disagree: 0 stars and 1 star for November 2004. Every claim is shown with its source."),
        "{}",
        r.stdout
    );
}

#[test]
fn ask_exits_1_without_an_answer() {
    for (message, expected) in [
        (
            "!stars Cardiff",
            "I have no data on a council called “Cardiff”.\nI do know about: the 153 English councils with social services duties, and 15 abolished since 2002.\n",
        ),
        (
            "!schemes Wolverhampton",
            "I have no data on any scheme for Wolverhampton.\nI do know about: its Ofsted judgement (`!ofsted Wolverhampton`), its star ratings (`!stars Wolverhampton`), its register entry (`!council Wolverhampton`).\n",
        ),
        (
            "asdf qwer zxcv uiop hjkl vbnm tyui",
            "Sorry, I didn't understand that. Try a command such as `!stars Birmingham`, or ask \"Who runs social services in Coventry?\"\n",
        ),
        (
            "!foo",
            "There is no command “!foo”. `!help` lists the commands.\n",
        ),
        (
            "!stars",
            "`!stars <council>` needs a council: for example `!stars Birmingham`\n",
        ),
    ] {
        let r = carebot(&["ask", message]);
        assert_eq!(r.code, 1, "{message}");
        assert_eq!(r.stdout, expected, "{message}");
        assert_eq!(r.stderr, "", "{message}");
    }
}

#[test]
fn ask_exits_2_on_usage_errors() {
    let r = carebot(&["ask"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.starts_with(
            "error: the following required arguments were not provided:\n  <MESSAGE>...\n"
        ),
        "{}",
        r.stderr
    );
    let r = carebot(&["frobnicate"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("error: unrecognized subcommand 'frobnicate'"),
        "{}",
        r.stderr
    );
}

#[test]
fn ask_reads_a_config_file() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("carebot.toml");
    std::fs::write(&config, "prefix = \"?\"\nmax_message_len = 20\n").unwrap();
    let config = config.to_str().unwrap();
    let r = carebot(&["--config", config, "ask", "?stars"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout,
        "`?stars <council>` needs a council: for example `?stars Birmingham`\n"
    );
    let r = carebot(&[
        "--config",
        config,
        "ask",
        "Who runs social services in Coventry?",
    ]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout,
        "That message is too long for me (37 characters; I read up to 20). Please ask a shorter question.\n"
    );
}

// ----- console -----

#[test]
fn console_answers_each_line_like_a_channel() {
    let r = carebot_in(
        Path::new(project()),
        &["console"],
        "!rated 2 2004\n\n   \nWho is Michael Hake?\n!foo\n".as_bytes(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    assert_eq!(
        r.stdout,
        [
            "Councils rated ★★☆ 2 stars",
            "Star ratings of councils' social services ran from May 2002 to November 2008 (adult social care only from 2006) and ended in 2008.",
            "",
            "November 2004 · social services:",
            "  82 councils had two stars in November 2004; sources name 1: Solihull.",
            "",
            "Source: Community Care, “Stars in the making”, 19 November 2004; carebot, compiled from Community Care, BBC, Public Finance and Care Appointments, “How many councils had each star rating, by round”",
            "",
            "Michael Hake",
            "Corporate director of social care and performance, Solihull Council (November 2004)",
            "",
            "Michael Hake on Solihull:",
            "  • Has a strong focus on outcomes for people and very structured performance management.",
            "  • Encouraging people to join its social care workforce is a priority.",
            "",
            "On star ratings:",
            "  “The star rating is a validation of how we are doing and not an end result in itself”",
            "",
            SOURCE,
            "",
            "There is no command “!foo”. `!help` lists the commands.",
            "",
            "",
        ]
        .join("\n")
    );
}

#[test]
fn console_with_no_input_prints_nothing() {
    let r = carebot_in(Path::new(project()), &["console"], b"");
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));
}

#[test]
fn console_handles_carriage_returns_and_a_missing_last_newline() {
    let r = carebot_in(Path::new(project()), &["console"], b"!rated 2\r\n!sources");
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout
            .lines()
            .filter(|l| l.starts_with("Councils rated") || *l == "Sources")
            .count(),
        2,
        "{}",
        r.stdout
    );
}

#[test]
fn console_skips_a_line_that_is_not_utf8_and_goes_on() {
    let r = carebot_in(
        Path::new(project()),
        &["console"],
        b"!rated 2\n\xff\xfe\n!foo\n",
    );
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("Councils rated ★★☆ 2 stars\n"));
    assert!(r
        .stdout
        .ends_with("There is no command “!foo”. `!help` lists the commands.\n\n"));
    assert_eq!(
        r.stderr,
        "carebot: line 2 is not UTF-8 text and was skipped\n"
    );
}

// ----- check -----

#[test]
fn check_prints_what_the_knowledge_base_holds() {
    let r = carebot(&["check"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stderr, "");
    assert_eq!(
        r.stdout,
        "knowledge: OK: 2 sources, 168 councils, 4 people, 6 schemes, 5 ratings, 13 figures, 1 region, 8 quotes\n"
    );
}

#[test]
fn check_reports_a_broken_knowledge_base_and_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let ratings = std::fs::read_to_string(Path::new(project()).join("knowledge/ratings.toml"))
        .unwrap()
        .replacen("stars = 2", "stars = 7", 1);
    let dir = tmp.path().join("k");
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    for f in [
        "sources.toml",
        "councils.toml",
        "people.toml",
        "regions.toml",
        "schemes.toml",
        "figures.toml",
        "sources/stars-in-the-making.txt",
    ] {
        std::fs::copy(Path::new(project()).join("knowledge").join(f), dir.join(f)).unwrap();
    }
    std::fs::write(dir.join("ratings.toml"), &ratings).unwrap();
    let line = ratings[..ratings.find("stars = 7").unwrap()]
        .matches('\n')
        .count()
        + 1;
    let r = carebot(&["--knowledge", dir.to_str().unwrap(), "check"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        format!(
            "carebot: the knowledge base has errors:\n{}:{line}:9: stars must be 0, 1, 2 or 3 (social services star ratings run from zero to three), found 7\n",
            dir.join("ratings.toml").display()
        )
    );
}

// ----- missing paths -----

#[test]
fn a_missing_knowledge_directory_is_an_error() {
    for command in [&["check"][..], &["ask", "!stars Solihull"], &["console"]] {
        let mut args = vec!["--knowledge", "/no/such/knowledge"];
        args.extend_from_slice(command);
        let r = carebot(&args);
        assert_eq!(r.code, 2, "{command:?}");
        assert_eq!(r.stdout, "", "{command:?}");
        assert_eq!(
            r.stderr,
            "carebot: knowledge directory /no/such/knowledge not found: run carebot from its directory or pass --knowledge DIR\n",
            "{command:?}"
        );
    }
    // A file is not a directory.
    let r = carebot(&["--knowledge", "knowledge/ratings.toml", "check"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "carebot: knowledge directory knowledge/ratings.toml not found: run carebot from its directory or pass --knowledge DIR\n"
    );
}

#[test]
fn a_missing_config_file_is_an_error() {
    let r = carebot(&["--config", "/no/such/carebot.toml", "check"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        "carebot: config file /no/such/carebot.toml not found: run carebot from its directory or pass --config FILE\n"
    );
    // Run from elsewhere, without --config, the built-in defaults are used.
    let tmp = tempfile::tempdir().unwrap();
    let knowledge = format!("{}/knowledge", project());
    let r = carebot_in(
        tmp.path(),
        &["--knowledge", &knowledge, "ask", "!stars Solihull"],
        b"",
    );
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert_eq!(r.stdout.lines().next(), Some("Solihull: star rating"));
    // With both paths given it works from anywhere.
    let config = format!("{}/config/carebot.toml", project());
    let r = carebot_in(
        tmp.path(),
        &[
            "--config",
            &config,
            "--knowledge",
            &knowledge,
            "ask",
            "!stars Solihull",
        ],
        b"",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().next(), Some("Solihull: star rating"));
}

#[test]
fn a_broken_config_file_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("carebot.toml");
    std::fs::write(&config, "prefix = 5\n").unwrap();
    let r = carebot(&["--config", config.to_str().unwrap(), "check"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        format!(
            "carebot: {}:1:10: invalid type: integer `5`, expected a string\n",
            config.display()
        )
    );
}

// ----- config, environment and logs -----

/// Runs carebot in `dir` with `args` and `env` added to a clean environment (no `CAREBOT_*`,
/// `RUST_LOG` or `NO_COLOR` from the test's own).
fn carebot_env(dir: &Path, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_carebot"));
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        if k.starts_with("CAREBOT_") || k == "RUST_LOG" || k == "NO_COLOR" {
            cmd.env_remove(&*k);
        }
    }
    let out = cmd
        .current_dir(dir)
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("carebot runs");
    Run {
        code: out.status.code().expect("carebot exited by itself"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 output"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 errors"),
    }
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

#[test]
fn a_misspelt_variable_is_warned_about_with_the_closest_real_one() {
    let r = carebot_env(
        Path::new(project()),
        &["ask", "!stars Solihull"],
        &[("CAREBOT_PREFX", os("?"))],
    );
    assert_eq!(r.code, 0, "the real prefix still works");
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(
        lines[0].ends_with(
            " WARN carebot: CAREBOT_PREFX is not a carebot setting and is ignored; did you mean CAREBOT_PREFIX?"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn without_a_config_file_the_defaults_are_used_and_said_at_debug_level() {
    let tmp = tempfile::tempdir().unwrap();
    let knowledge = format!("{}/knowledge", project());
    let r = carebot_env(
        tmp.path(),
        &["--knowledge", &knowledge, "check"],
        &[("RUST_LOG", os("debug"))],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains(" DEBUG carebot: no config/carebot.toml here: using the built-in defaults\n"),
        "{}",
        r.stderr
    );
    // Written to a pipe, log lines carry no colour codes.
    assert!(!r.stderr.contains('\u{1b}'), "{:?}", r.stderr);
}

#[test]
fn json_logs_are_one_object_a_line() {
    let tmp = tempfile::tempdir().unwrap();
    let knowledge = format!("{}/knowledge", project());
    for env in [
        vec![
            ("CAREBOT_LOG_FORMAT", os("json")),
            ("RUST_LOG", os("debug")),
        ],
        vec![("RUST_LOG", os("debug"))],
    ] {
        let config = tmp.path().join("carebot.toml");
        let json_in_file = env.len() == 1;
        std::fs::write(
            &config,
            if json_in_file {
                "log_format = \"json\"\n"
            } else {
                ""
            },
        )
        .unwrap();
        let mut args = vec!["--knowledge", &knowledge, "check"];
        let config = config.to_str().unwrap().to_string();
        if json_in_file {
            args.splice(0..0, ["--config", config.as_str()]);
        }
        let r = carebot_env(tmp.path(), &args, &env);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let lines: Vec<serde_json::Value> = r
            .stderr
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON object"))
            .collect();
        assert!(!lines.is_empty());
        assert!(lines
            .iter()
            .all(|l| l["level"].is_string() && l["target"].is_string()));
    }
    let r = carebot_env(
        tmp.path(),
        &["--knowledge", &knowledge, "check"],
        &[("CAREBOT_LOG_FORMAT", os("xml"))],
    );
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "carebot: environment variable CAREBOT_LOG_FORMAT: expected text or json, found \"xml\"\n"
    );
}

#[test]
fn config_values_that_would_fail_later_are_refused_naming_where_they_came_from() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("carebot.toml");
    std::fs::write(&config, "# carebot\n[discord]\nguilds = [0]\n").unwrap();
    let path = config.to_str().unwrap();
    let r = carebot_env(Path::new(project()), &["--config", path, "check"], &[]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        format!("carebot: {path}:3:10: discord.guilds: 0 is not a guild id (ids are the numbers Discord shows with Copy Server ID)\n")
    );
    std::fs::write(
        &config,
        "[discord]\nshards = \"range\"\nshard_start = 4294967295\n",
    )
    .unwrap();
    let r = carebot_env(Path::new(project()), &["--config", path, "check"], &[]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        format!("carebot: {path}:3:15: discord.shard_start: shard_start (4294967295) + shard_count (1) must be at most total_shards (1), and shard_count at least 1\n")
    );
    // The file's value is fine; the variable over it is not, and is named.
    std::fs::write(&config, "prefix = \"!\"\n").unwrap();
    let r = carebot_env(
        Path::new(project()),
        &["--config", path, "check"],
        &[("CAREBOT_PREFIX", os("   "))],
    );
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (
            2,
            "carebot: environment variable CAREBOT_PREFIX: must be 1 to 10 characters, such as \"!\"\n"
        )
    );
}

#[cfg(unix)]
#[test]
fn a_variable_that_is_not_utf8_is_refused_by_name() {
    use std::os::unix::ffi::OsStrExt;
    let r = carebot_env(
        Path::new(project()),
        &["check"],
        &[(
            "CAREBOT_DISCORD_API_BASE",
            std::ffi::OsStr::from_bytes(b"http://proxy\xff"),
        )],
    );
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "carebot: environment variable CAREBOT_DISCORD_API_BASE: the value is not valid UTF-8\n"
    );
}

#[test]
fn questions_stay_out_of_the_logs_at_info() {
    let r = carebot_env(
        Path::new(project()),
        &["ask", "Who runs social services at 12 Private Road?"],
        &[("RUST_LOG", os("info"))],
    );
    assert_eq!(r.code, 1);
    assert!(!r.stderr.contains("Private Road"), "{}", r.stderr);
}
