//! Timing child processes: wall time from the bench itself, CPU time and peak memory from
//! GNU time (`/usr/bin/time`) when the machine has it.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const GNU_TIME: &str = "/usr/bin/time";

/// One timed run of a child process.
#[derive(Clone, Debug, Default)]
pub struct Run {
    pub wall: f64,
    /// user + sys seconds, when measured.
    pub cpu: Option<f64>,
    /// Peak resident set size in KiB, when measured.
    pub rss_kib: Option<u64>,
    pub stdout: String,
    /// CPU seconds the rest of the machine used while this ran (from /proc/stat), when known:
    /// a busy machine makes every figure unreliable.
    pub other_cpu: Option<f64>,
}

/// Busy CPU time of the whole machine so far, in seconds (Linux only).
fn machine_busy() -> Option<f64> {
    let stat = fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?.strip_prefix("cpu ")?;
    let v: Vec<u64> = line
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal
    let busy = v.first()? + v.get(1)? + v.get(2)? + v.get(5)? + v.get(6)? + v.get(7)?;
    Some(busy as f64 / 100.0)
}

/// The 1-minute load average.
pub fn load_average() -> Option<f64> {
    fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

pub struct Timer {
    gnu_time: bool,
    scratch: PathBuf,
}

impl Timer {
    /// `scratch` is a folder for GNU time's report file.
    pub fn new(scratch: &Path) -> Timer {
        Timer {
            gnu_time: Path::new(GNU_TIME).is_file()
                && Command::new(GNU_TIME)
                    .args(["-f", "%e", "true"])
                    .output()
                    .is_ok_and(|o| o.status.success()),
            scratch: scratch.to_path_buf(),
        }
    }

    pub fn measures_resources(&self) -> bool {
        self.gnu_time
    }

    /// Runs `program args` with `envs`, waits for it and times it. A failure is an error that
    /// carries the child's output.
    pub fn run(&self, program: &Path, args: &[&str], envs: &[(&str, &str)]) -> io::Result<Run> {
        let report = self.scratch.join("time-report.txt");
        let mut cmd = if self.gnu_time {
            let _ = fs::remove_file(&report);
            let mut c = Command::new(GNU_TIME);
            c.arg("-f")
                .arg("%e %U %S %M")
                .arg("-o")
                .arg(&report)
                .arg(program);
            c
        } else {
            Command::new(program)
        };
        cmd.args(args);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let busy_before = machine_busy();
        let start = Instant::now();
        let out = cmd.output()?;
        let wall = start.elapsed().as_secs_f64();
        let busy = busy_before.zip(machine_busy()).map(|(a, b)| b - a);
        if !out.status.success() {
            return Err(io::Error::other(format!(
                "{} {} failed ({}):\n{}{}",
                program.display(),
                args.join(" "),
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )));
        }
        let mut run = Run {
            wall,
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            ..Run::default()
        };
        if self.gnu_time {
            let text = fs::read_to_string(&report)?;
            // The last line is ours; GNU time puts any notes about the child above it.
            let fields: Vec<&str> = text
                .lines()
                .last()
                .unwrap_or("")
                .split_whitespace()
                .collect();
            if let [_, user, sys, rss] = fields[..] {
                run.cpu = match (user.parse::<f64>(), sys.parse::<f64>()) {
                    (Ok(u), Ok(s)) => Some(u + s),
                    _ => None,
                };
                run.rss_kib = rss.parse().ok();
            }
        }
        run.other_cpu = busy.zip(run.cpu).map(|(b, c)| (b - c).max(0.0));
        Ok(run)
    }
}

/// Identity of a written file: enough to tell whether a build rewrote it.
#[derive(PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    inode: u64,
}

fn stamp(meta: &fs::Metadata) -> Stamp {
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(meta);
    #[cfg(not(unix))]
    let inode = 0;
    Stamp {
        len: meta.len(),
        modified: meta.modified().ok(),
        inode,
    }
}

/// Every file under a folder, with its stamp.
pub struct Snapshot(HashMap<PathBuf, Stamp>);

impl Snapshot {
    pub fn take(dir: &Path) -> Snapshot {
        let mut files = HashMap::new();
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            if entry.file_type().is_file()
                && let Ok(meta) = entry.metadata()
            {
                let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
                files.insert(rel.to_path_buf(), stamp(&meta));
            }
        }
        Snapshot(files)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Files new or rewritten since `before`, and files gone.
    pub fn changes_since(&self, before: &Snapshot) -> (usize, usize) {
        let written = self
            .0
            .iter()
            .filter(|(p, s)| before.0.get(*p) != Some(s))
            .count();
        let removed = before.0.keys().filter(|p| !self.0.contains_key(*p)).count();
        (written, removed)
    }
}

pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    match values.len() {
        0 => f64::NAN,
        n if !n.is_multiple_of(2) => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Median of the measured values, if any run measured it.
pub fn median_of(runs: &[Run], get: impl Fn(&Run) -> Option<f64>) -> Option<f64> {
    let mut v: Vec<f64> = runs.iter().filter_map(get).collect();
    (!v.is_empty()).then(|| median(&mut v))
}
