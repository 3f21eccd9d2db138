//! What an operator deploys with: shell completions, and the container and systemd files in
//! `deploy/` as the README describes them.

use std::process::Command;

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
