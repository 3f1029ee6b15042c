//! Helpers shared by the integration tests. Keep this small.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

/// The `broadsheet` binary that Cargo built for these tests.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_broadsheet"))
}

/// Runs the binary with `args` and returns (status, stdout, stderr).
pub fn run<S: AsRef<OsStr>>(args: &[S]) -> (ExitStatus, String, String) {
    run_env(args, &[])
}

/// Like [`run`], with extra environment variables (e.g. `SOURCE_DATE_EPOCH`).
pub fn run_env<S: AsRef<OsStr>>(args: &[S], env: &[(&str, &str)]) -> (ExitStatus, String, String) {
    let out = Command::new(bin())
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("failed to start the broadsheet binary");
    (
        out.status,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `broadsheet build` of `root` into `out` at the time `epoch` (seconds), with `flags`.
pub fn build_at(
    root: &Path,
    out: &Path,
    epoch: &str,
    flags: &[&str],
) -> (ExitStatus, String, String) {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().expect("UTF-8 path"),
        "--output",
        out.to_str().expect("UTF-8 path"),
    ];
    args.extend_from_slice(flags);
    run_env(&args, &[("SOURCE_DATE_EPOCH", epoch)])
}

/// Copies the contents of `src` recursively into a new temporary directory.
pub fn copy_to_tempdir(src: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("cannot create a temporary directory");
    copy_dir(src, dir.path());
    dir
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap_or_else(|e| panic!("mkdir {}: {e}", dst.display()));
    for entry in std::fs::read_dir(src).unwrap_or_else(|e| panic!("read {}: {e}", src.display())) {
        let entry = entry.unwrap();
        let (from, to) = (entry.path(), dst.join(entry.file_name()));
        if from.is_dir() {
            copy_dir(&from, &to);
        } else {
            std::fs::copy(&from, &to)
                .unwrap_or_else(|e| panic!("copy {} -> {}: {e}", from.display(), to.display()));
        }
    }
}

/// A port free on loopback, below the range the system hands out for outgoing connections,
/// so Chromium's or another test's connections cannot take it between now and the server
/// binding it. Tries ports spread by the process and a counter until one binds.
pub fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let seed = std::process::id().wrapping_mul(2_654_435_761);
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let port = 20_000 + (seed.wrapping_add(n.wrapping_mul(7919)) % 12_000) as u16;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}
