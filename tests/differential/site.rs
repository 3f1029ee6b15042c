//! The fixture site as a model in memory, written to disk file by file. Every write gets a
//! file time of its own, strictly later than the one before, so a same-size edit is still
//! seen by the build's size-and-time check, and no file is ever "racy" (saved within the
//! last two seconds) and so re-read for that reason alone.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::{DateTime, FixedOffset};

use super::text::{self, Rng};

/// The build's "now", 2026-01-01T00:00:00Z; every story is dated before it.
pub const NOW: i64 = 1_767_225_600;
pub const NOW_TEXT: &str = "1767225600";

/// Story folders under `content/`; the first two are also named in config.toml.
pub const FOLDERS: &[&str] = &["news", "sport", "business", "culture", "opinion"];

#[derive(Clone, Debug)]
pub struct Link {
    pub text: String,
    /// The linked file, relative to `content/`, e.g. `sport/s007.md`.
    pub target: String,
}

#[derive(Clone, Debug)]
pub struct Story {
    /// Relative to `content/`, e.g. `sport/s007.md`.
    pub file: String,
    pub title: String,
    pub slug: Option<String>,
    pub subtitle: Option<String>,
    pub summary: Option<String>,
    /// Unix seconds.
    pub date: i64,
    /// How the date is written: 0 with +06:00, 1 in UTC, 2 as local time without offset.
    pub date_form: u8,
    pub section: Option<String>,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    pub featured: bool,
    pub draft: bool,
    pub aliases: Vec<String>,
    pub paras: Vec<String>,
    /// Link `k` ends paragraph `k % paras.len()`, so the first one is in the summary.
    pub links: Vec<Link>,
}

fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn list(xs: &[String]) -> String {
    let items: Vec<String> = xs.iter().map(|x| quoted(x)).collect();
    format!("[{}]", items.join(", "))
}

/// The instant in the site's time zone (Asia/Dhaka is +06:00 all year).
pub fn dhaka(secs: i64) -> DateTime<FixedOffset> {
    DateTime::from_timestamp(secs, 0)
        .expect("a valid time")
        .with_timezone(&FixedOffset::east_opt(6 * 3600).expect("offset"))
}

impl Story {
    pub fn folder(&self) -> &str {
        self.file.split('/').next().expect("a folder")
    }

    pub fn section(&self) -> &str {
        self.section.as_deref().unwrap_or(self.folder())
    }

    pub fn slug(&self) -> String {
        self.slug
            .clone()
            .unwrap_or_else(|| text::slugify(&self.title))
    }

    /// Its URL under the default permalink.
    pub fn url(&self) -> String {
        let day = dhaka(self.date).format("%Y/%m/%d");
        format!("/{}/{day}/{}/", self.section(), self.slug())
    }

    pub fn links_to(&self, file: &str) -> bool {
        self.links.iter().any(|l| l.target == file)
    }

    fn date_text(&self) -> String {
        let utc = DateTime::from_timestamp(self.date, 0).expect("a valid time");
        match self.date_form {
            0 => dhaka(self.date).format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            1 => utc.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            _ => dhaka(self.date).format("%Y-%m-%dT%H:%M:%S").to_string(),
        }
    }

    pub fn text(&self) -> String {
        let mut s = format!(
            "+++\ntitle = {}\ndate = {}\n",
            quoted(&self.title),
            self.date_text()
        );
        let mut line = |key: &str, value: String| s.push_str(&format!("{key} = {value}\n"));
        if let Some(v) = &self.subtitle {
            line("subtitle", quoted(v));
        }
        if let Some(v) = &self.section {
            line("section", quoted(v));
        }
        line("tags", list(&self.tags));
        line("authors", list(&self.authors));
        if let Some(v) = &self.summary {
            line("summary", quoted(v));
        }
        if let Some(v) = &self.slug {
            line("slug", quoted(v));
        }
        if self.featured {
            line("featured", "true".into());
        }
        if self.draft {
            line("draft", "true".into());
        }
        if !self.aliases.is_empty() {
            line("aliases", list(&self.aliases));
        }
        s.push_str("+++\n");
        let mut paras = self.paras.clone();
        for (k, l) in self.links.iter().enumerate() {
            let n = k % paras.len();
            paras[n].push_str(&format!(" See [{}](@/{}).", l.text, l.target));
        }
        for p in paras {
            s.push('\n');
            s.push_str(&p);
            s.push('\n');
        }
        s
    }
}

pub struct Site {
    pub root: PathBuf,
    pub title: String,
    pub paginate: u32,
    pub stories: Vec<Story>,
    /// Site copies of built-in templates, with a small change.
    pub card_override: bool,
    pub page_404_override: bool,
    /// `static/extra/note.txt`.
    pub note: Option<String>,
    /// For new file names.
    pub next_file: u32,
    clock: SystemTime,
}

pub const CARD: &str = "templates/partials/story_card.html";
pub const PAGE_404: &str = "templates/404.html";
pub const NOTE: &str = "static/extra/note.txt";

/// A built-in template of the repository with a small local change.
pub fn changed_template(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    let text = fs::read_to_string(&path).expect("a built-in template");
    let (from, to) = match name {
        CARD => (
            "class=\"card-title\"",
            "class=\"card-title card-title--local\"",
        ),
        _ => ("Page not found", "Nothing here, sorry"),
    };
    assert!(text.contains(from), "{name} no longer has {from}");
    text.replace(from, to)
}

impl Site {
    pub fn new(root: &Path) -> Site {
        Site {
            root: root.to_path_buf(),
            title: "The Wendmouth Courier".into(),
            paginate: 4,
            stories: Vec::new(),
            card_override: false,
            page_404_override: false,
            note: None,
            next_file: 1,
            // Well in the past, so no write is ever within the build's racy window.
            clock: SystemTime::now() - Duration::from_secs(3 * 86_400),
        }
    }

    pub fn config_text(&self) -> String {
        format!(
            "title = {}\nbase_url = \"https://courier.example.org\"\n\
             description = \"News from the river town of Wendmouth\"\nlanguage = \"en\"\n\
             timezone = \"Asia/Dhaka\"\npaginate = {}\nfeed_limit = 12\n\n\
             [sections.news]\nname = \"Town News\"\nweight = 1\n\n\
             [sections.sport]\nname = \"Sport\"\nweight = 2\n\n\
             [sections.business]\nweight = 3\n\n\
             [sections.culture]\nweight = 4\n\n\
             [sections.opinion]\nweight = 5\n",
            quoted(&self.title),
            self.paginate
        )
    }

    /// Writes everything, for a new site.
    pub fn write_all(&mut self) {
        self.save_config();
        for i in 0..self.stories.len() {
            self.save_story(i);
        }
        // Present from the start, so a watcher already watches them.
        for dir in ["templates/partials", "static/extra"] {
            fs::create_dir_all(self.root.join(dir)).expect("mkdir");
        }
    }

    pub fn save_config(&mut self) {
        let text = self.config_text();
        self.write("config.toml", text.as_bytes());
    }

    pub fn save_story(&mut self, i: usize) {
        let (rel, text) = (self.story_path(i), self.stories[i].text());
        self.write(&rel, text.as_bytes());
    }

    pub fn story_path(&self, i: usize) -> String {
        format!("content/{}", self.stories[i].file)
    }

    /// Writes `rel` and gives it the next file time.
    pub fn write(&mut self, rel: &str, bytes: &[u8]) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {rel}: {e}"));
        self.clock += Duration::from_secs(1);
        let file = fs::File::options().write(true).open(&path).expect("reopen");
        file.set_modified(self.clock).expect("set the file time");
    }

    pub fn remove(&mut self, rel: &str) {
        fs::remove_file(self.root.join(rel)).unwrap_or_else(|e| panic!("remove {rel}: {e}"));
    }

    /// A move keeps the file's time, as `mv` does.
    pub fn rename(&mut self, from: &str, to: &str) {
        let to_path = self.root.join(to);
        fs::create_dir_all(to_path.parent().expect("a parent")).expect("mkdir");
        fs::rename(self.root.join(from), to_path)
            .unwrap_or_else(|e| panic!("move {from} to {to}: {e}"));
    }

    pub fn find(&self, file: &str) -> Option<usize> {
        self.stories.iter().position(|s| s.file == file)
    }

    /// Stories that link to `file`.
    pub fn linkers(&self, file: &str) -> Vec<usize> {
        (0..self.stories.len())
            .filter(|&i| self.stories[i].links_to(file))
            .collect()
    }

    /// Whether another story already has this slug (which could give two stories one URL).
    pub fn slug_taken(&self, slug: &str, except: Option<usize>) -> bool {
        self.stories
            .iter()
            .enumerate()
            .any(|(i, s)| Some(i) != except && s.slug() == slug)
    }

    /// A headline whose slug no other story has.
    pub fn fresh_headline(&self, rng: &mut Rng, except: Option<usize>) -> String {
        loop {
            let h = text::headline(rng);
            let same = except.is_some_and(|i| self.stories[i].title == h);
            if !same && !self.slug_taken(&text::slugify(&h), except) {
                return h;
            }
        }
    }

    /// Published stories other than `not`, to link to.
    pub fn link_targets(&self, not: Option<usize>) -> Vec<usize> {
        (0..self.stories.len())
            .filter(|&i| Some(i) != not && !self.stories[i].draft)
            .collect()
    }

    /// Drops every link to `file` and saves the stories that had one; returns their files.
    pub fn drop_links_to(&mut self, file: &str) -> Vec<String> {
        let linkers = self.linkers(file);
        for &i in &linkers {
            self.stories[i].links.retain(|l| l.target != file);
            self.save_story(i);
        }
        linkers
            .iter()
            .map(|&i| self.stories[i].file.clone())
            .collect()
    }

    /// Points every link to `from` at `to` and saves the stories that had one.
    pub fn repoint_links(&mut self, from: &str, to: &str) -> usize {
        let linkers = self.linkers(from);
        for &i in &linkers {
            for l in &mut self.stories[i].links {
                if l.target == from {
                    l.target = to.to_string();
                }
            }
            self.save_story(i);
        }
        linkers.len()
    }
}
