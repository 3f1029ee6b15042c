//! `bench --goals`: the goals of the issue "Rebuilds in milliseconds" as one Markdown table,
//! each measured at the sizes it names (and shown, without a verdict, at the other sizes run).

use std::path::Path;

use super::corpus::Stats;
use super::measure::median_of;
use super::{Options, SizeResult, serve, thousands};

/// Measures the save-to-served latencies on a site the bench wrote, after its builds. A failure
/// is reported and leaves the serve rows unmeasured, so the builds' figures are still printed.
pub fn measure_serve(
    o: &Options,
    bin: &Path,
    dir: &Path,
    site: &Path,
    corpus: &Stats,
    envs: &[(&str, &str)],
) -> Option<serve::Latencies> {
    let setup = serve::Setup {
        bin,
        site,
        edit_target: &corpus.edit_target,
        stories: corpus.stories,
        runs: o.serve_runs,
        budget: Some(o.budget),
        envs,
        scratch: &dir.join("serve-tmp"),
    };
    serve::measure(&setup, &|line| println!("{line}"))
        .map_err(|e| println!("serve --watch: measuring failed: {e}"))
        .ok()
}

#[derive(Clone, Copy)]
enum Unit {
    Ms,
    Secs,
    Hugo,
    Percent,
    MiB,
}

impl Unit {
    fn decimals(self) -> usize {
        match self {
            Unit::Ms | Unit::MiB => 0,
            Unit::Secs | Unit::Hugo => 2,
            Unit::Percent => 1,
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Unit::Ms => " ms",
            Unit::Secs => " s",
            Unit::Hugo => " × Hugo",
            Unit::Percent => "%",
            Unit::MiB => " MiB",
        }
    }
}

/// Why a size has no values for a row, or its values (one per run).
type Values = Result<Vec<f64>, &'static str>;

/// A row group of the table: what is measured, and its goals.
struct What {
    what: &'static str,
    unit: Unit,
    values: fn(&SizeResult) -> Values,
    /// The size each goal is set at (`None`: every size run), its text and its upper limit.
    goals: &'static [(Option<usize>, &'static str, f64)],
}

const WHATS: &[What] = &[
    What {
        what: "`serve --watch`, story saved → new page served",
        unit: Unit::Ms,
        values: |r| r.serve.as_ref().map(|s| s.story.clone()).ok_or(NO_SERVE),
        goals: &[
            (Some(10_000), "≤ 100 ms", 100.0),
            (Some(100_000), "≤ 300 ms", 300.0),
        ],
    },
    What {
        what: "`serve --watch`, template saved → pages served",
        unit: Unit::Ms,
        values: |r| r.serve.as_ref().map(|s| s.template.clone()).ok_or(NO_SERVE),
        goals: &[(Some(10_000), "≤ 1 s", 1000.0)],
    },
    What {
        what: "`build` after one story edit",
        unit: Unit::Secs,
        values: |r| Ok(r.edited.iter().map(|x| x.wall).collect()),
        goals: &[
            (Some(10_000), "≤ 0.2 s", 0.2),
            (Some(100_000), "≤ 1 s", 1.0),
        ],
    },
    What {
        what: "clean `build`, wall time against Hugo's",
        unit: Unit::Hugo,
        values: against_hugo,
        goals: &[
            (Some(10_000), "≤ 0.25 × Hugo", 0.25),
            (Some(100_000), "≤ 0.2 × Hugo", 0.2),
        ],
    },
    What {
        what: "clean `build`, peak memory",
        unit: Unit::MiB,
        values: |r| {
            let v: Vec<f64> = r
                .clean
                .iter()
                .filter_map(|x| x.rss_kib)
                .map(|k| k as f64 / 1024.0)
                .collect();
            if v.is_empty() && !r.clean.is_empty() {
                Err("not measured (no /usr/bin/time)")
            } else {
                Ok(v)
            }
        },
        goals: &[(Some(100_000), "≤ 1.5 GiB (1,536 MiB)", 1536.0)],
    },
    What {
        what: "`build` with nothing changed",
        unit: Unit::Percent,
        values: |r| {
            let clean = median_of(&r.clean, |x| Some(x.wall)).ok_or("no clean build")?;
            Ok(r.unchanged.iter().map(|x| x.wall / clean * 100.0).collect())
        },
        goals: &[(None, "≤ 3% of a clean build", 3.0)],
    },
];

const NO_SERVE: &str = "failed (see the log above)";

/// Each round's ratio: the builds of a round ran one after the other, on the same machine state.
fn against_hugo(r: &SizeResult) -> Values {
    if r.hugo.is_empty() {
        return Err("not measured (no Hugo run at this size)");
    }
    Ok(r.clean
        .iter()
        .zip(&r.hugo)
        .map(|(b, h)| b.wall / h.wall)
        .collect())
}

/// Prints the table: a row per goal and size, and a row for each size run that has no goal.
pub fn report(results: &[SizeResult]) {
    println!(
        "\n== Goals of \"Rebuilds in milliseconds\": median of the runs, (min–max) when more than one ==\n"
    );
    println!("| what | stories | goal | measured | runs | result |");
    println!("|---|---:|---|---|---:|---|");
    let (mut met, mut missed, mut unmeasured) = (0, 0, 0);
    for w in WHATS {
        let mut sizes: Vec<usize> = results.iter().map(|r| r.stories).collect();
        sizes.extend(w.goals.iter().filter_map(|g| g.0));
        sizes.sort_unstable();
        sizes.dedup();
        let mut first = true;
        let mut row = |size: usize, goal: &str, measured: &str, runs: usize, result: &str| {
            println!(
                "| {} | {} | {goal} | {measured} | {} | {result} |",
                if first { w.what } else { "" },
                thousands(size),
                if runs == 0 {
                    String::new()
                } else {
                    runs.to_string()
                }
            );
            first = false;
        };
        for size in sizes {
            let r = results.iter().find(|r| r.stories == size);
            let goals: Vec<_> = w
                .goals
                .iter()
                .filter(|g| g.0 == Some(size) || (g.0.is_none() && r.is_some()))
                .collect();
            let Some(r) = r else {
                for g in goals {
                    unmeasured += 1;
                    row(size, g.1, "not measured (not in --sizes)", 0, "–");
                }
                continue;
            };
            let values = (w.values)(r).and_then(|v| {
                if v.is_empty() {
                    Err("not measured")
                } else {
                    Ok(v)
                }
            });
            let measured = match &values {
                Ok(v) => serve::spread(v, w.unit.decimals(), w.unit.suffix()),
                Err(why) => why.to_string(),
            };
            let runs = values.as_ref().map_or(0, Vec::len);
            if goals.is_empty() {
                row(size, "none at this size", &measured, runs, "–");
            }
            for g in goals {
                let result = match &values {
                    Ok(v) if median(v) <= g.2 => {
                        met += 1;
                        "met"
                    }
                    Ok(_) => {
                        missed += 1;
                        "**missed**"
                    }
                    Err(_) => {
                        unmeasured += 1;
                        "–"
                    }
                };
                row(size, g.1, &measured, runs, result);
            }
        }
    }
    println!("\n{met} goals met, {missed} missed, {unmeasured} not measured.");
}

fn median(v: &[f64]) -> f64 {
    super::measure::median(&mut v.to_vec())
}
