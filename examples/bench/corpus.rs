//! A deterministic synthetic newsroom: N stories of original random English-like text with every
//! front-matter field of SPEC, written as a broadsheet site and, optionally, as a Hugo site.
//!
//! Story `i` depends only on the seed and on stories `0..i`, so the corpus of 1,000 stories is
//! the first 1,000 of the corpus of 100,000.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::words::*;

/// The site's time zone.
pub const TIMEZONE: Tz = chrono_tz::Asia::Dhaka;
/// Every story is dated within this many days before `now`.
const SPAN_DAYS: i64 = 3 * 365;
/// How many tags and authors the newsroom uses.
const TAG_COUNT: usize = 300;
const AUTHOR_COUNT: usize = 50;

/// xorshift64*: small, fast and the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // splitmix64 spreads nearby seeds apart; xorshift needs a non-zero state.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(z | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * n as f64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// Samples indices `0..n` with probability proportional to `1 / (rank + 1)^s`.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|r| {
                total += 1.0 / ((r + 1) as f64).powf(s);
                total
            })
            .collect();
        Zipf { cumulative }
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let x = rng.unit() * self.cumulative.last().copied().unwrap_or(0.0);
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len() - 1)
    }

    /// `k` distinct indices.
    fn distinct(&self, rng: &mut Rng, k: usize) -> Vec<usize> {
        let mut out = Vec::with_capacity(k);
        while out.len() < k.min(self.cumulative.len()) {
            let i = self.sample(rng);
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum DateStyle {
    /// `2025-03-04T09:30:00+06:00`
    Offset,
    /// `2025-03-04T03:30:00Z`, as wire copy arrives.
    Utc,
    /// `2025-03-04T09:30:00`, read in the site's time zone.
    Local,
}

struct Image {
    file: &'static str,
    alt: String,
    caption: Option<String>,
    credit: Option<&'static str>,
}

struct Extra {
    desk: &'static str,
    print_page: usize,
    corrected: bool,
}

struct Story {
    /// Content-relative folder and file stem: `news/2025` and `council-approves-...`.
    folder: String,
    stem: String,
    section: usize,
    explicit_section: bool,
    title: String,
    subtitle: Option<String>,
    date: DateTime<Tz>,
    style: DateStyle,
    updated: Option<DateTime<Tz>>,
    tags: Vec<usize>,
    authors: Vec<usize>,
    dateline: Option<String>,
    sources: Vec<&'static str>,
    image: Option<Image>,
    summary: Option<String>,
    slug: Option<String>,
    featured: bool,
    draft_field: bool,
    aliases: Vec<String>,
    extra: Option<Extra>,
    yaml: bool,
    /// Markdown in broadsheet's form: `<!-- more -->` and `@/` story links.
    body: String,
    words: usize,
}

/// What was written, for the report.
#[derive(Default)]
pub struct Stats {
    pub stories: usize,
    pub words: usize,
    pub bytes: u64,
    pub yaml: usize,
    pub tags_used: usize,
    /// The most used tag and its number of stories.
    pub largest_tag: (String, usize),
    pub authors_used: usize,
    pub first_date: String,
    pub last_date: String,
    pub featured: usize,
    pub with_image: usize,
    pub with_alias: usize,
    /// The story the edit benchmark appends a sentence to.
    pub edit_target: PathBuf,
}

/// The fixed "now" of the corpus: 2026-07-01 00:00 in Dhaka. Every story is dated before it.
pub fn now() -> DateTime<Tz> {
    TIMEZONE
        .with_ymd_and_hms(2026, 7, 1, 0, 0, 0)
        .single()
        .expect("a valid fixed date")
}

/// The newsroom: tag and author names, and how popular each is.
struct Newsroom {
    tags: Vec<String>,
    tag_popularity: Zipf,
    authors: Vec<String>,
    author_popularity: Zipf,
    section_popularity: Vec<u32>,
}

impl Newsroom {
    fn new(seed: u64) -> Newsroom {
        let mut rng = Rng::new(seed ^ 0x7A65);
        let mut tags: Vec<String> = TAG_TOPICS.iter().map(|t| t.to_string()).collect();
        let mut seen: HashSet<String> = tags.iter().cloned().collect();
        while tags.len() < TAG_COUNT {
            let t = match rng.below(3) {
                0 => format!("{} {}", rng.pick(PLACES), rng.pick(TAG_TOPICS)),
                1 => format!(
                    "{} {}",
                    capitalize(rng.pick(ADJECTIVES)),
                    rng.pick(TAG_TOPICS)
                ),
                _ => format!("{} {}", rng.pick(PLACES), capitalize(rng.pick(NOUNS))),
            };
            if seen.insert(t.clone()) {
                tags.push(t);
            }
        }
        // Popularity follows the order above, shuffled a little so plain topics are not all on top.
        for i in (1..tags.len()).rev() {
            if rng.chance(0.3) {
                let j = rng.below(i + 1);
                tags.swap(i, j);
            }
        }
        let mut authors = Vec::with_capacity(AUTHOR_COUNT);
        let mut seen = HashSet::new();
        while authors.len() < AUTHOR_COUNT {
            let a = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
            if seen.insert(a.clone()) {
                authors.push(a);
            }
        }
        Newsroom {
            tag_popularity: Zipf::new(tags.len(), 1.0),
            tags,
            author_popularity: Zipf::new(AUTHOR_COUNT, 0.6),
            authors,
            section_popularity: SECTIONS.iter().map(|s| s.2).collect(),
        }
    }

    fn section(&self, rng: &mut Rng) -> usize {
        let total: u32 = self.section_popularity.iter().sum();
        let mut x = rng.below(total as usize) as u32;
        for (i, w) in self.section_popularity.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        0
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn plural(noun: &str) -> String {
    let b = noun.as_bytes();
    if noun.ends_with('s') || noun.ends_with("sh") || noun.ends_with("ch") || noun.ends_with('x') {
        format!("{noun}es")
    } else if noun.ends_with('y') && !b"aeiou".contains(&b[b.len().saturating_sub(2)]) {
        format!("{}ies", &noun[..noun.len() - 1])
    } else {
        format!("{noun}s")
    }
}

/// Third person singular present, for headlines.
fn present(verb: (&str, &str)) -> String {
    plural(verb.0)
}

/// Lowercase words joined by `-`: the bench's own idea of a slug, for file names and keys.
fn key(text: &str) -> String {
    let mut out = String::new();
    for w in text
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(
            w.chars()
                .filter(|c| *c != '\'')
                .map(|c| c.to_ascii_lowercase()),
        );
    }
    out
}

fn headline(rng: &mut Rng) -> String {
    let t = match rng.below(7) {
        0 => format!(
            "{} {} {} {} in {}",
            capitalize(rng.pick(ORGANISATIONS)),
            present(rng.pick(VERBS)),
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS),
            rng.pick(PLACES)
        ),
        1 => format!(
            "{} {} {} {} {} {} {}",
            rng.pick(PLACES),
            plural(rng.pick(NOUNS)),
            rng.pick(VERBS).0,
            rng.pick(NOUNS),
            rng.pick(PREPOSITIONS),
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS)
        ),
        2 => format!(
            "Why {}'s {} {} the {} {}",
            rng.pick(PLACES),
            plural(rng.pick(NOUNS)),
            rng.pick(VERBS).0,
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS)
        ),
        3 => format!(
            "{} in {} {} {} {} {}",
            capitalize(&plural(rng.pick(NOUNS))),
            rng.pick(PLACES),
            rng.pick(VERBS).0,
            rng.pick(ADJECTIVES),
            plural(rng.pick(NOUNS)),
            rng.pick(TIMES)
        ),
        4 => format!(
            "{} {} {} after {} {}",
            rng.pick(PLACES),
            present(rng.pick(VERBS)),
            rng.pick(NOUNS),
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS)
        ),
        5 => format!(
            "{} {}: {} {} {} {}",
            capitalize(rng.pick(ADJECTIVES)),
            rng.pick(NOUNS),
            rng.pick(PLACES),
            rng.pick(VERBS).0,
            rng.pick(ADVERBS),
            rng.pick(TIMES)
        ),
        _ => format!(
            "The {} {} that {} {} {}",
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS),
            rng.pick(PLACES),
            rng.pick(VERBS).1,
            plural(rng.pick(NOUNS))
        ),
    };
    capitalize(&t)
}

fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES))
}

fn role(rng: &mut Rng) -> String {
    rng.pick(ROLES)
        .replace("{org}", rng.pick(ORGANISATIONS))
        .replace("{noun}", rng.pick(NOUNS))
        .replace("{place}", rng.pick(PLACES))
}

/// A noun phrase, now and then emphasised or linked.
fn thing(rng: &mut Rng) -> String {
    let noun = rng.pick(NOUNS);
    let roll = rng.unit();
    if roll < 0.015 {
        format!("the *{noun}*")
    } else if roll < 0.022 {
        format!("the **{} {noun}**", rng.pick(ADJECTIVES))
    } else if roll < 0.03 {
        let org = rng.pick(ORGANISATIONS);
        format!(
            "[the {org}'s report](https://example.org/{}/{}/)",
            key(org),
            rng.below(10_000)
        )
    } else if roll < 0.5 {
        format!("the {} {noun}", rng.pick(ADJECTIVES))
    } else {
        format!("the {noun}")
    }
}

fn quote(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => format!(
            "We have waited {} for this {}, and we will not wait {}",
            rng.pick(&["years", "months", "a long time", "too long"]),
            rng.pick(NOUNS),
            rng.pick(&["again", "any longer", "quietly", "forever"])
        ),
        1 => format!(
            "Nobody here is against the {}, but the {} must {} first",
            rng.pick(NOUNS),
            rng.pick(ORGANISATIONS),
            rng.pick(VERBS).0
        ),
        2 => format!(
            "Every {} in {} knows what happens when the {} {}",
            rng.pick(NOUNS),
            rng.pick(PLACES),
            rng.pick(NOUNS),
            present(rng.pick(VERBS))
        ),
        _ => format!(
            "It is {} {}, and it will {} {} {}",
            rng.pick(&["a", "the"]),
            rng.pick(&["start", "beginning", "test", "lesson", "warning"]),
            rng.pick(VERBS).0,
            plural(rng.pick(NOUNS)),
            rng.pick(TIMES)
        ),
    }
}

fn sentence(rng: &mut Rng) -> String {
    let s = match rng.below(10) {
        0 => format!(
            "{} {} in {} {} {} {}.",
            capitalize(&thing(rng)),
            rng.pick(&[
                "near the river",
                "by the old ghat",
                "on the main road",
                "at the bazaar"
            ]),
            rng.pick(PLACES),
            rng.pick(VERBS).1,
            thing(rng),
            rng.pick(TIMES)
        ),
        1 => format!(
            "{} the {} {} {} {} {} {}.",
            rng.pick(CONNECTORS),
            rng.pick(ORGANISATIONS),
            rng.pick(VERBS).1,
            rng.pick(NUMBERS),
            plural(rng.pick(NOUNS)),
            rng.pick(PREPOSITIONS),
            thing(rng)
        ),
        2 => format!("\"{},\" said {}, {}.", quote(rng), person(rng), role(rng)),
        3 => format!(
            "{}, {}, said {} would {} the {} {}.",
            person(rng),
            role(rng),
            thing(rng),
            rng.pick(VERBS).0,
            plural(rng.pick(NOUNS)),
            rng.pick(TIMES)
        ),
        4 => format!(
            "More than {} {} were {} {} {} {}, according to the {}.",
            rng.pick(NUMBERS),
            plural(rng.pick(NOUNS)),
            rng.pick(VERBS).1,
            rng.pick(PREPOSITIONS),
            rng.pick(PLACES),
            rng.pick(TIMES),
            rng.pick(ORGANISATIONS)
        ),
        5 => format!(
            "{} is expected to {} {} after {} {} {} {}.",
            capitalize(&thing(rng)),
            rng.pick(VERBS).0,
            rng.pick(ADVERBS),
            thing(rng),
            rng.pick(VERBS).1,
            rng.pick(PREPOSITIONS),
            thing(rng)
        ),
        6 => format!(
            "Residents of {} said that {} had {} {} {} and that few {} had been told.",
            rng.pick(PLACES),
            thing(rng),
            rng.pick(ADVERBS),
            rng.pick(VERBS).1,
            thing(rng),
            plural(rng.pick(NOUNS))
        ),
        7 => format!(
            "It was the {} time in {} years that the {} had {} a {} of this kind.",
            rng.pick(ORDINALS),
            rng.pick(NUMBERS),
            rng.pick(ORGANISATIONS),
            rng.pick(VERBS).1,
            rng.pick(NOUNS)
        ),
        8 => format!(
            "{} {} and {} {} {}, but {} {} {} {}.",
            capitalize(&plural(rng.pick(NOUNS))),
            rng.pick(VERBS).1,
            plural(rng.pick(NOUNS)),
            rng.pick(VERBS).1,
            rng.pick(TIMES),
            thing(rng),
            rng.pick(&["has not", "had not yet", "could not be", "was never"]),
            rng.pick(VERBS).1,
            rng.pick(ADVERBS)
        ),
        _ => format!(
            "{} {} {} {} the {} {}.",
            rng.pick(CONNECTORS),
            thing(rng),
            rng.pick(&["remains", "seemed", "was still", "is now"]),
            rng.pick(ADJECTIVES),
            rng.pick(&["centre of", "question for", "problem for", "hope of"]),
            plural(rng.pick(NOUNS))
        ),
    };
    // Whatever pattern made it, a sentence starts with a capital, even inside `[` or `*`.
    match s.char_indices().find(|(_, c)| c.is_alphabetic()) {
        Some((at, c)) if c.is_lowercase() => {
            format!("{}{}", &s[..at], capitalize(&s[at..]))
        }
        _ => s,
    }
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

fn paragraph(rng: &mut Rng, sentences: usize) -> String {
    (0..sentences)
        .map(|_| sentence(rng))
        .collect::<Vec<_>>()
        .join(" ")
}

fn heading(rng: &mut Rng) -> String {
    let h = match rng.below(4) {
        0 => format!("The {} {}", rng.pick(ADJECTIVES), rng.pick(NOUNS)),
        1 => format!(
            "What the {} {}",
            rng.pick(NOUNS),
            rng.pick(&["means", "costs", "changes"])
        ),
        2 => format!(
            "{} {}",
            capitalize(&plural(rng.pick(NOUNS))),
            rng.pick(TIMES)
        ),
        _ => format!("A {} for {}", rng.pick(NOUNS), rng.pick(PLACES)),
    };
    capitalize(&h)
}

fn list(rng: &mut Rng) -> String {
    let numbered = rng.chance(0.3);
    let mut out = format!(
        "{}\n\n",
        rng.pick(&[
            "The main points of the plan:",
            "What residents asked for:",
            "Key figures from the report:",
            "What happens next:",
        ])
    );
    for i in 0..rng.range(3, 5) {
        let item = format!(
            "{} {} {} {}",
            capitalize(&plural(rng.pick(NOUNS))),
            rng.pick(&["for", "in", "near", "beyond"]),
            rng.pick(PLACES),
            rng.pick(TIMES)
        );
        if numbered {
            let _ = writeln!(out, "{}. {item}", i + 1);
        } else {
            let _ = writeln!(out, "- {item}");
        }
    }
    out.pop();
    out
}

fn table(rng: &mut Rng) -> String {
    let mut out = String::from("| Place | Last year | This year |\n|---|---:|---:|\n");
    for _ in 0..rng.range(3, 6) {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            rng.pick(PLACES),
            rng.range(10, 9000),
            rng.range(10, 9000)
        );
    }
    out.pop();
    out
}

/// Makes story `i`. `earlier` holds the content paths of stories `0..i`; `titles` their keys.
fn story(
    i: usize,
    seed: u64,
    room: &Newsroom,
    earlier: &[String],
    titles: &mut HashSet<String>,
) -> Story {
    let mut rng = Rng::new(seed.wrapping_add((i as u64).wrapping_mul(0x9E37_79B9)));
    let section = room.section(&mut rng);
    let title = loop {
        let t = headline(&mut rng);
        if titles.insert(key(&t)) {
            break t;
        }
    };

    let day = now().date_naive() - Duration::days(rng.range(1, SPAN_DAYS as usize) as i64);
    let time = NaiveTime::from_hms_opt(rng.range(6, 23) as u32, 5 * rng.below(12) as u32, 0)
        .expect("a valid time");
    let date = TIMEZONE
        .from_local_datetime(&day.and_time(time))
        .earliest()
        .expect("Dhaka has no gaps");
    let style = match rng.below(20) {
        0 => DateStyle::Utc,
        1 | 2 => DateStyle::Local,
        _ => DateStyle::Offset,
    };
    let updated = rng
        .chance(0.2)
        .then(|| date + Duration::minutes(rng.range(20, 36 * 60) as i64))
        .map(|u| u.min(now() - Duration::minutes(1)));

    let tag_count = rng.range(2, 5);
    let tags = room.tag_popularity.distinct(&mut rng, tag_count);
    let author_count = match rng.below(100) {
        0..=79 => 1,
        80..=96 => 2,
        _ => 3,
    };
    let authors = room.author_popularity.distinct(&mut rng, author_count);
    let dateline = rng.chance(0.85).then(|| {
        format!(
            "{}, {} {:02}",
            rng.pick(PLACES).to_uppercase(),
            MONTHS[date.format("%m").to_string().parse::<usize>().unwrap_or(1) - 1],
            date.format("%d")
        )
    });
    let sources = if rng.chance(0.4) {
        let mut s = vec![rng.pick(SOURCES)];
        if rng.chance(0.3) {
            let other = rng.pick(SOURCES);
            if other != s[0] {
                s.push(other);
            }
        }
        s
    } else {
        Vec::new()
    };
    let image = rng.chance(0.3).then(|| Image {
        file: rng.pick(IMAGES),
        alt: capitalize(&format!(
            "{} {} {}",
            plural(rng.pick(NOUNS)),
            rng.pick(PREPOSITIONS),
            thing_plain(&mut rng)
        )),
        caption: rng.chance(0.6).then(|| {
            format!(
                "{} {}.",
                capitalize(&thing_plain(&mut rng)),
                rng.pick(TIMES)
            )
        }),
        credit: rng.chance(0.7).then(|| rng.pick(SOURCES)),
    });
    let subtitle = rng.chance(0.75).then(|| {
        format!(
            "{} {} {} {} as the {} {} its {}",
            capitalize(&plural(rng.pick(NOUNS))),
            rng.pick(VERBS).1,
            rng.pick(PREPOSITIONS),
            thing_plain(&mut rng),
            rng.pick(ORGANISATIONS),
            rng.pick(VERBS).1,
            rng.pick(NOUNS)
        )
    });
    let summary = rng.chance(0.15).then(|| {
        format!(
            "{} {} {} in {}.",
            capitalize(&thing_plain(&mut rng)),
            rng.pick(VERBS).1,
            thing_plain(&mut rng),
            rng.pick(PLACES)
        )
    });
    let slug = rng
        .chance(0.1)
        .then(|| format!("{}-{}-{i}", key(rng.pick(NOUNS)), key(rng.pick(PLACES))));
    let featured = rng.chance(0.005);
    let draft_field = rng.chance(0.05);
    let aliases = if rng.chance(0.02) {
        vec![format!("/legacy/{}/{i}/", SECTIONS[section].0)]
    } else {
        Vec::new()
    };
    let extra = rng.chance(0.1).then(|| Extra {
        desk: rng.pick(DESKS),
        print_page: rng.range(1, 24),
        corrected: rng.chance(0.1),
    });
    let yaml = rng.chance(0.3);

    // The body.
    let target = rng.range(400, 900);
    let more_marker = summary.is_none() && rng.chance(0.15);
    let with_headings = rng.chance(0.7);
    let list_at = rng.chance(0.25).then(|| rng.range(2, 5));
    let quote_at = rng.chance(0.1).then(|| rng.range(2, 6));
    let table_at = rng.chance(0.05).then(|| rng.range(3, 6));
    let link_at = (i > 0 && rng.chance(0.08)).then(|| rng.range(1, 4));
    let mut blocks: Vec<String> = Vec::new();
    let mut words = 0;
    let mut paragraphs = 0;
    let mut since_heading = 0;
    let mut headings = 0;
    let mut heading_every = rng.range(3, 5);
    while words < target {
        let sentences = if paragraphs == 0 {
            rng.range(2, 3)
        } else {
            rng.range(2, 5)
        };
        let mut p = paragraph(&mut rng, sentences);
        if link_at == Some(paragraphs) {
            let to = &earlier[rng.below(earlier.len())];
            let _ = write!(
                p,
                " The {} was [{}](@/{to}).",
                rng.pick(NOUNS),
                rng.pick(&[
                    "reported here earlier",
                    "covered last time",
                    "first described here"
                ])
            );
        }
        words += word_count(&p);
        blocks.push(p);
        paragraphs += 1;
        since_heading += 1;
        if more_marker && paragraphs == 2 {
            blocks.push("<!-- more -->".into());
        }
        for (at, make) in [
            (list_at, list as fn(&mut Rng) -> String),
            (table_at, table),
            (quote_at, |r: &mut Rng| format!("> {}.", quote(r))),
        ] {
            if at == Some(paragraphs) {
                let b = make(&mut rng);
                words += word_count(&b);
                blocks.push(b);
            }
        }
        if with_headings && headings < 3 && since_heading >= heading_every && words + 60 < target {
            let h = heading(&mut rng);
            words += word_count(&h);
            blocks.push(format!("## {h}"));
            headings += 1;
            since_heading = 0;
            heading_every = rng.range(3, 5);
        }
    }
    let mut body = blocks.join("\n\n");
    body.push('\n');

    let folder = format!("{}/{}", SECTIONS[section].0, date.format("%Y"));
    let stem = key(&title);
    Story {
        folder,
        stem,
        section,
        explicit_section: rng.chance(0.7),
        title,
        subtitle,
        date,
        style,
        updated,
        tags,
        authors,
        dateline,
        sources,
        image,
        summary,
        slug,
        featured,
        draft_field,
        aliases,
        extra,
        yaml,
        body,
        words,
    }
}

/// A noun phrase with no Markdown in it, for front matter.
fn thing_plain(rng: &mut Rng) -> String {
    format!("the {} {}", rng.pick(ADJECTIVES), rng.pick(NOUNS))
}

/// A double-quoted string, valid in both TOML and YAML.
fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn list_toml(items: &[String]) -> String {
    format!(
        "[{}]",
        items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
    )
}

fn date_text(d: &DateTime<Tz>, style: DateStyle) -> String {
    match style {
        DateStyle::Offset => d.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        DateStyle::Utc => d
            .with_timezone(&Utc)
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
        DateStyle::Local => d.format("%Y-%m-%dT%H:%M:%S").to_string(),
    }
}

/// One front-matter document, TOML or YAML, built from key/value lines.
struct Front {
    yaml: bool,
    text: String,
    /// Open nested table (TOML header or YAML indentation).
    depth: usize,
}

impl Front {
    fn new(yaml: bool) -> Front {
        Front {
            yaml,
            text: String::from(if yaml { "---\n" } else { "+++\n" }),
            depth: 0,
        }
    }

    fn raw(&mut self, k: &str, v: &str) {
        let indent = "  ".repeat(self.depth);
        let sep = if self.yaml { ": " } else { " = " };
        let _ = writeln!(self.text, "{indent}{k}{sep}{v}");
    }

    fn str(&mut self, k: &str, v: &str) {
        self.raw(k, &q(v));
    }

    fn list(&mut self, k: &str, items: &[String]) {
        if items.is_empty() {
            return;
        }
        if self.yaml && items.len() > 1 {
            let indent = "  ".repeat(self.depth);
            let _ = writeln!(self.text, "{indent}{k}:");
            for it in items {
                let _ = writeln!(self.text, "{indent}  - {}", q(it));
            }
        } else {
            self.raw(k, &list_toml(items));
        }
    }

    /// Opens a nested table; TOML tables must come after every plain key.
    fn table(&mut self, path: &str) {
        if self.yaml {
            let name = path.rsplit('.').next().unwrap_or(path);
            let indent = "  ".repeat(path.matches('.').count());
            let _ = writeln!(self.text, "{indent}{name}:");
            self.depth = path.matches('.').count() + 1;
        } else {
            let _ = writeln!(self.text, "[{path}]");
        }
    }

    fn finish(mut self, body: &str) -> String {
        self.text
            .push_str(if self.yaml { "---\n\n" } else { "+++\n\n" });
        self.text.push_str(body);
        self.text
    }
}

fn names(all: &[String], picked: &[usize]) -> Vec<String> {
    picked.iter().map(|&i| all[i].clone()).collect()
}

fn strs(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn extra_fields(f: &mut Front, e: &Extra) {
    f.str("desk", e.desk);
    f.raw("print_page", &e.print_page.to_string());
    f.raw("corrected", if e.corrected { "true" } else { "false" });
}

/// The story file as broadsheet reads it.
fn broadsheet_file(s: &Story, room: &Newsroom) -> String {
    let mut f = Front::new(s.yaml);
    f.str("title", &s.title);
    f.raw("date", &date_text(&s.date, s.style));
    if let Some(v) = &s.subtitle {
        f.str("subtitle", v);
    }
    if let Some(u) = &s.updated {
        f.raw("updated", &date_text(u, s.style));
    }
    if s.explicit_section {
        f.str("section", SECTIONS[s.section].0);
    }
    f.list("tags", &names(&room.tags, &s.tags));
    f.list("authors", &names(&room.authors, &s.authors));
    if let Some(v) = &s.dateline {
        f.str("dateline", v);
    }
    f.list("sources", &strs(&s.sources));
    image_fields(&mut f, s);
    if let Some(v) = &s.summary {
        f.str("summary", v);
    }
    if let Some(v) = &s.slug {
        f.str("slug", v);
    }
    if s.featured {
        f.raw("featured", "true");
    }
    if s.draft_field {
        f.raw("draft", "false");
    }
    f.list("aliases", &s.aliases);
    if let Some(e) = &s.extra {
        f.table("extra");
        extra_fields(&mut f, e);
    }
    f.finish(&s.body)
}

/// The lead image's fields, the same in both front matters.
fn image_fields(f: &mut Front, s: &Story) {
    if let Some(img) = &s.image {
        f.str("image", &format!("/images/{}", img.file));
        f.str("image_alt", &img.alt);
        if let Some(c) = &img.caption {
            f.str("image_caption", c);
        }
        if let Some(c) = img.credit {
            f.str("image_credit", c);
        }
    }
}

/// The same story for Hugo: its own fields at the top, the rest under `params`.
fn hugo_file(s: &Story, room: &Newsroom) -> String {
    let mut f = Front::new(s.yaml);
    f.str("title", &s.title);
    f.raw("date", &date_text(&s.date, s.style));
    if let Some(u) = &s.updated {
        f.raw("lastmod", &date_text(u, s.style));
    }
    f.list("tags", &names(&room.tags, &s.tags));
    if let Some(v) = &s.summary {
        f.str("summary", v);
    }
    if let Some(v) = &s.slug {
        f.str("slug", v);
    }
    if s.draft_field {
        f.raw("draft", "false");
    }
    f.list("aliases", &s.aliases);
    f.table("params");
    if let Some(v) = &s.subtitle {
        f.str("subtitle", v);
    }
    f.list("authors", &names(&room.authors, &s.authors));
    if let Some(v) = &s.dateline {
        f.str("dateline", v);
    }
    f.list("sources", &strs(&s.sources));
    image_fields(&mut f, s);
    if s.featured {
        f.raw("featured", "true");
    }
    if let Some(e) = &s.extra {
        f.table("params.extra");
        extra_fields(&mut f, e);
    }
    // Hugo's summary divider has no spaces.
    let body = s.body.replace("<!-- more -->", "<!--more-->");
    f.finish(&body)
}

fn broadsheet_config() -> String {
    let mut c = String::from(
        r#"title = "The Benchmark Gazette"
base_url = "https://bench.example.com"
description = "A synthetic daily for measuring broadsheet: invented towns, invented news"
language = "en"
timezone = "Asia/Dhaka"
date_format = "%B %d, %Y"
permalink = "/:section/:year/:month/:day/:slug/"
paginate = 20
feed_limit = 50
slugify = "ascii"
default_section = "news"
"#,
    );
    for (w, (slug, name, _)) in SECTIONS.iter().enumerate() {
        let _ = write!(
            c,
            "\n[sections.{slug}]\nname = \"{name}\"\nweight = {}\n",
            w + 1
        );
    }
    c.push_str("\n[extra]\ntagline = \"All the news that fits the benchmark\"\nfounded = 1958\n");
    c
}

fn hugo_config() -> String {
    let mut c = String::from(
        r#"baseURL = "https://bench.example.com/"
title = "The Benchmark Gazette"
timeZone = "Asia/Dhaka"
disableKinds = ["sitemap", "robotsTXT", "404"]

[taxonomies]
tag = "tags"

[pagination]
pagerSize = 20

[services.rss]
limit = 50

[outputs]
home = ["html", "rss"]
section = ["html"]
taxonomy = ["html"]
term = ["html"]

[markup.goldmark.renderer]
unsafe = true

# The navigation, listed here rather than walked with site.Sections: in Hugo 0.168 that walks
# the whole content tree on every call, which would put most of Hugo's time into the menu.
[params]
sections = [
"#,
    );
    for (slug, name, _) in SECTIONS {
        let _ = writeln!(c, "  {{ name = \"{name}\", url = \"/{slug}/\" }},");
    }
    c.push_str(
        r#"]

[permalinks.page]
"#,
    );
    for (slug, _, _) in SECTIONS {
        let _ = writeln!(c, "{slug} = \"/:section/:year/:month/:day/:slug/\"");
    }
    c
}

/// Minimal templates equivalent to the pages the issue compares: story pages, a paginated
/// front page, paginated section lists, the tag list and paginated tag pages, and Hugo's
/// built-in RSS template for the one feed.
const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "baseof.html",
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ if not .IsHome }}{{ .Title }} | {{ end }}{{ site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
<meta property="og:title" content="{{ .Title }}">
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav>{{ range site.Params.sections }}<a href="{{ .url | relURL }}">{{ .name }}</a> {{ end }}</nav></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"#,
    ),
    (
        "_partials/list.html",
        r#"{{ range .Paginator.Pages }}
<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "January 2, 2006" }}</time>
{{ with .Params.subtitle }}<p class="deck">{{ . }}</p>{{ end }}
<div class="summary">{{ .Summary }}</div></article>
{{ end }}
<nav class="pages">{{ with .Paginator.Prev }}<a href="{{ .URL }}">Newer</a>{{ end }}
{{ with .Paginator.Next }}<a href="{{ .URL }}">Older</a>{{ end }}</nav>
"#,
    ),
    (
        "home.html",
        r#"{{ define "main" }}{{ $p := .Paginate site.RegularPages }}<h1>Latest</h1>{{ partial "list.html" . }}{{ end }}
"#,
    ),
    (
        "section.html",
        r#"{{ define "main" }}{{ $p := .Paginate .Pages }}<h1>{{ .Title }}</h1>{{ partial "list.html" . }}{{ end }}
"#,
    ),
    (
        "term.html",
        r#"{{ define "main" }}{{ $p := .Paginate .Pages }}<h1>{{ .Title }}</h1>{{ partial "list.html" . }}{{ end }}
"#,
    ),
    (
        "taxonomy.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
"#,
    ),
    (
        "page.html",
        r#"{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
{{ with .Params.subtitle }}<p class="deck">{{ . }}</p>{{ end }}
<p class="byline">{{ with .Params.authors }}By {{ delimit . ", " }}{{ end }}
{{ with .Params.dateline }}{{ . }}{{ end }}{{ with .Params.sources }} ({{ delimit . ", " }}){{ end }}</p>
<time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "January 2, 2006" }}</time>
{{ if ne .Lastmod .Date }}<time class="updated">{{ .Lastmod.Format "January 2, 2006 15:04" }}</time>{{ end }}
{{ with .Params.image }}<figure><img src="{{ . | relURL }}" alt="{{ $.Params.image_alt }}">
<figcaption>{{ $.Params.image_caption }} {{ with $.Params.image_credit }}Photo: {{ . }}{{ end }}</figcaption></figure>{{ end }}
{{ .Content }}
<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
</article>{{ end }}
"#,
    ),
    // broadsheet's `@/section/story.md` links, resolved to the story's URL.
    (
        "_markup/render-link.html",
        r#"{{- $u := .Destination -}}
{{- if hasPrefix $u "@/" -}}{{- with $.PageInner.GetPage (strings.TrimSuffix ".md" (strings.TrimPrefix "@" $u)) -}}{{- $u = .RelPermalink -}}{{- end -}}{{- end -}}
<a href="{{ $u }}"{{ with .Title }} title="{{ . }}"{{ end }}>{{ .Text }}</a>
{{- /* chomp trailing newline */ -}}
"#,
    ),
];

fn write_file(path: &Path, text: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut f = io::BufWriter::new(fs::File::create(path)?);
    f.write_all(text)?;
    f.flush()
}

fn copy_images(repo: &Path, site: &Path) -> io::Result<()> {
    let images = site.join("static/images");
    fs::create_dir_all(&images)?;
    for name in IMAGES {
        let from = repo.join("static/images").join(name);
        if from.is_file() {
            fs::copy(&from, images.join(name))?;
        }
    }
    Ok(())
}

/// Writes `n` stories as a broadsheet site at `site`, and as a Hugo site at `hugo` if given.
/// `repo` is the broadsheet checkout, whose `static/images` lends the lead images.
pub fn write_sites(
    n: usize,
    seed: u64,
    repo: &Path,
    site: &Path,
    hugo: Option<&Path>,
) -> io::Result<Stats> {
    let room = Newsroom::new(seed);
    fs::create_dir_all(site)?;
    write_file(&site.join("config.toml"), broadsheet_config().as_bytes())?;
    copy_images(repo, site)?;
    if let Some(h) = hugo {
        fs::create_dir_all(h)?;
        write_file(&h.join("hugo.toml"), hugo_config().as_bytes())?;
        for (name, text) in HUGO_LAYOUTS {
            write_file(&h.join("layouts").join(name), text.as_bytes())?;
        }
        for (slug, name, _) in SECTIONS {
            write_file(
                &h.join("content").join(slug).join("_index.md"),
                format!("+++\ntitle = \"{name}\"\n+++\n").as_bytes(),
            )?;
        }
        copy_images(repo, h)?;
    }

    let mut stats = Stats::default();
    let mut earlier: Vec<String> = Vec::with_capacity(n);
    let mut titles = HashSet::with_capacity(n);
    let mut tag_stories = vec![0usize; room.tags.len()];
    let mut authors_used = HashSet::new();
    let (mut first, mut last): (Option<DateTime<Tz>>, Option<DateTime<Tz>>) = (None, None);
    for i in 0..n {
        let s = story(i, seed, &room, &earlier, &mut titles);
        let rel = format!("{}/{}.md", s.folder, s.stem);
        let text = broadsheet_file(&s, &room);
        let path = site.join("content").join(&rel);
        write_file(&path, text.as_bytes())?;
        if let Some(h) = hugo {
            write_file(
                &h.join("content").join(&rel),
                hugo_file(&s, &room).as_bytes(),
            )?;
        }
        if i == n / 2 {
            stats.edit_target = path;
        }
        stats.stories += 1;
        stats.words += s.words;
        stats.bytes += text.len() as u64;
        stats.yaml += s.yaml as usize;
        stats.featured += s.featured as usize;
        stats.with_image += s.image.is_some() as usize;
        stats.with_alias += !s.aliases.is_empty() as usize;
        for &t in &s.tags {
            tag_stories[t] += 1;
        }
        authors_used.extend(s.authors.iter().copied());
        first = Some(first.map_or(s.date, |f| f.min(s.date)));
        last = Some(last.map_or(s.date, |l| l.max(s.date)));
        earlier.push(rel);
    }
    stats.tags_used = tag_stories.iter().filter(|&&c| c > 0).count();
    if let Some((t, &c)) = tag_stories.iter().enumerate().max_by_key(|(_, c)| **c) {
        stats.largest_tag = (room.tags[t].clone(), c);
    }
    stats.authors_used = authors_used.len();
    let fmt = |d: Option<DateTime<Tz>>| {
        d.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    stats.first_date = fmt(first);
    stats.last_date = fmt(last);
    Ok(stats)
}

/// Appends one sentence to a story's body: the edit of the one-story rebuild.
pub fn append_sentence(path: &Path, round: usize) -> io::Result<()> {
    let mut f = fs::OpenOptions::new().append(true).open(path)?;
    writeln!(
        f,
        "\nThis story was updated (edit {round}) after the council replied to questions on Friday."
    )
}
