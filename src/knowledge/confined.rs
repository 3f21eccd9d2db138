//! Reading files confined to the knowledge directory: regular files only, inside it once
//! links are resolved, and no larger than a cap. Nothing is opened before its type is known,
//! so a FIFO or a device never blocks or floods a load.

use std::fmt;
use std::fs::{self, File, FileType};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Why a file was not read.
#[derive(Debug)]
pub enum Refused {
    /// Its resolved path is outside the knowledge directory.
    Outside,
    /// It is not a regular file; says what it is.
    NotRegular(&'static str),
    /// It holds more than the cap, in bytes.
    TooLarge(u64),
    /// It could not be read.
    Io(io::Error),
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::Outside => write!(f, "it is outside the knowledge directory"),
            Refused::NotRegular(what) => write!(f, "it is {what}, not a regular file"),
            Refused::TooLarge(cap) => write!(f, "it is larger than {}", size(*cap)),
            Refused::Io(e) => write!(f, "{e}"),
        }
    }
}

/// A size in words: `8 MiB`, `512 KiB`, `100 bytes`.
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// The knowledge directory, resolved, that files must be inside.
#[derive(Debug)]
pub struct Root(PathBuf);

impl Root {
    /// Resolves `dir`.
    pub fn new(dir: &Path) -> io::Result<Root> {
        fs::canonicalize(dir).map(Root)
    }

    /// Reads the regular file at `path` (relative to the directory, or a path inside it), of
    /// at most `cap` bytes, as text.
    pub fn read(&self, path: &Path, cap: u64) -> Result<String, Refused> {
        if (path.is_absolute() && !path.starts_with(&self.0)) || climbs_out(path) {
            return Err(Refused::Outside);
        }
        let resolved = fs::canonicalize(self.0.join(path)).map_err(Refused::Io)?;
        if !resolved.starts_with(&self.0) {
            return Err(Refused::Outside);
        }
        let meta = fs::metadata(&resolved).map_err(Refused::Io)?;
        if !meta.is_file() {
            return Err(Refused::NotRegular(what(meta.file_type())));
        }
        if meta.len() > cap {
            return Err(Refused::TooLarge(cap));
        }
        let file = File::open(&resolved).map_err(Refused::Io)?;
        let mut text = String::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        file.take(cap + 1)
            .read_to_string(&mut text)
            .map_err(Refused::Io)?;
        if text.len() as u64 > cap {
            return Err(Refused::TooLarge(cap));
        }
        Ok(text)
    }
}

/// Whether a relative path leaves the directory by its own `..`, whether or not what it
/// names exists.
fn climbs_out(path: &Path) -> bool {
    use std::path::Component;
    let mut depth = 0usize;
    for c in path.components() {
        match c {
            Component::ParentDir if depth == 0 => return true,
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    false
}

/// What a file that is not a regular file is, in words.
pub fn what(t: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a directory"
    } else if t.is_symlink() {
        "a link"
    } else if t.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_that_climbs_out_is_outside_even_when_nothing_is_there() {
        let dir = tempfile::tempdir().unwrap();
        let root = Root::new(dir.path()).unwrap();
        for p in ["../t.csv", "a/../../t.csv", "../../../../etc/passwd"] {
            assert!(
                matches!(root.read(Path::new(p), 10), Err(Refused::Outside)),
                "{p}"
            );
        }
        assert!(matches!(
            root.read(Path::new("a/../t.csv"), 10),
            Err(Refused::Io(_))
        ));
    }

    #[test]
    fn sizes_read_as_words() {
        assert_eq!(size(64 << 20), "64 MiB");
        assert_eq!(size(512 << 10), "512 KiB");
        assert_eq!(size(1000), "1000 bytes");
    }
}
