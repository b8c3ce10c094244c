//! Reading input files (or standard input) into decoded source text.

use std::io::Read;
use std::path::Path;

use drydock::source::{self, Decoded};

/// Inputs larger than this are refused rather than read into memory.
pub(crate) const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Read `path` (`-` for standard input), refusing binary and oversized files.
pub(crate) fn read(path: &str) -> Result<Decoded, String> {
    read_bytes(path).map(source::decode)
}

/// The bytes of `path` (`-` for standard input), refusing binary and oversized files.
pub(crate) fn read_bytes(path: &str) -> Result<Vec<u8>, String> {
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        buf
    } else {
        let p = Path::new(path);
        let reason = |e: &std::io::Error| format!("cannot read `{path}`: {}", io_reason(e));
        // Metadata first: opening a FIFO for reading would wait for a writer.
        let meta = std::fs::metadata(p).map_err(|e| reason(&e))?;
        if meta.is_dir() {
            return Err(format!(
                "`{path}` is a directory; give the Dockerfile's path"
            ));
        }
        if !meta.is_file() {
            return Err(format!("`{path}` is not a regular file"));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(too_large(path));
        }
        let mut buf = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0) + 1);
        std::fs::File::open(p)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut buf))
            .map_err(|e| reason(&e))?;
        buf
    };
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(path));
    }
    if source::looks_binary(&bytes) {
        return Err(format!("`{path}` is a binary file, not a Dockerfile"));
    }
    Ok(bytes)
}

fn too_large(path: &str) -> String {
    format!(
        "`{path}` is larger than {} MiB; drydock does not read files that large",
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

/// The OS error without Rust's "(os error N)" suffix.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            // "Input/output error (os error 5)" reads better without Rust's suffix.
            match s.rfind(" (os error ") {
                Some(i) => s[..i].to_owned(),
                None => s,
            }
        }
    }
}
