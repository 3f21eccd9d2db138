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
            "John Bolton leads social services at Coventry.",
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
            "Solihull's social services: ★★☆ 2 stars (November 2004, when the article was published)."
        ]
    );
    let r = carebot(&["ask", "What", "is", "Birmingham's", "star", "rating?"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout.lines().next(), Some("Birmingham: star rating"));
    assert_eq!(
        r.stdout.lines().nth(1),
        Some("⚠ The source disagrees with itself: it gives Birmingham's social services both 0 stars and 1 star for November 2004, when the article was published. Both claims are shown below.")
    );
}

#[test]
fn ask_exits_1_without_an_answer() {
    for (message, expected) in [
        (
            "!stars Wolverhampton",
            "I have no data on a council called “Wolverhampton”.\nI do know about: Birmingham, Coventry, Solihull, Staffordshire, Kirklees.\n",
        ),
        (
            "!stars Staffordshire",
            "I have no data on a star rating for Staffordshire.\nI do know about: people who work there.\n",
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
        "!rated 2\n\n   \nWho is Michael Hake?\n!foo\n".as_bytes(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    assert_eq!(
        r.stdout,
        [
            "Councils rated ★★☆ 2 stars",
            "• Solihull (social services, 2004)",
            "",
            SOURCE,
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
fn console_refuses_input_that_is_not_utf8() {
    let r = carebot_in(Path::new(project()), &["console"], b"!rated 2\n\xff\xfe\n");
    assert_eq!(r.code, 2);
    assert!(r.stdout.starts_with("Councils rated ★★☆ 2 stars\n"));
    assert_eq!(
        r.stderr,
        "carebot: cannot read standard input: stream did not contain valid UTF-8\n"
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
        "knowledge: OK: 2 sources, 5 councils, 4 people, 6 schemes, 5 ratings, 13 figures, 1 region, 8 quotes\n"
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
    // Run from elsewhere, the default config is not found and carebot says how to fix it.
    let tmp = tempfile::tempdir().unwrap();
    let r = carebot_in(tmp.path(), &["ask", "!stars Solihull"], b"");
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "carebot: config file config/carebot.toml not found: run carebot from its directory or pass --config FILE\n"
    );
    // With both paths given it works from anywhere.
    let config = format!("{}/config/carebot.toml", project());
    let knowledge = format!("{}/knowledge", project());
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
