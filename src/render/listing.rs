//! Which pages a site has: one per story, each page of each listing, the indexes and feeds.

use chrono::{Datelike, NaiveDate};
use tera::Value;

use super::discovery::SitemapUrl;
use super::views::{Address, Obj, author_path, rfc3339, section_path, tag_path};
use crate::config::Config;
use crate::library::Library;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Year(i32),
    Month(i32, u32),
    Day(NaiveDate),
}

impl Period {
    pub fn path(&self) -> String {
        match self {
            Period::Year(y) => format!("/{y:04}/"),
            Period::Month(y, m) => format!("/{y:04}/{m:02}/"),
            Period::Day(d) => d.format("/%Y/%m/%d/").to_string(),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Period::Year(_) => "year",
            Period::Month(..) => "month",
            Period::Day(_) => "day",
        }
    }

    pub fn ymd(&self) -> (i32, u32, u32) {
        match *self {
            Period::Year(y) => (y, 0, 0),
            Period::Month(y, m) => (y, m, 0),
            Period::Day(d) => (d.year(), d.month(), d.day()),
        }
    }

    pub fn title(&self, config: &Config) -> String {
        match *self {
            Period::Year(y) => y.to_string(),
            Period::Month(y, m) => format!("{} {y}", MONTHS[m as usize - 1]),
            Period::Day(d) => d.format(&config.date_format).to_string(),
        }
    }

    pub fn stories<'a>(&self, library: &'a Library) -> &'a [usize] {
        match self {
            Period::Year(y) => &library.years[y],
            Period::Month(y, m) => &library.months[&(*y, *m)],
            Period::Day(d) => &library.days[d],
        }
    }

    /// The nearest earlier period of the same kind that has stories.
    pub fn previous(&self, library: &Library) -> Option<Period> {
        match *self {
            Period::Year(y) => library
                .years
                .range(..y)
                .next_back()
                .map(|(&y, _)| Period::Year(y)),
            Period::Month(y, m) => library
                .months
                .range(..(y, m))
                .next_back()
                .map(|(&(y, m), _)| Period::Month(y, m)),
            Period::Day(d) => library
                .days
                .range(..d)
                .next_back()
                .map(|(&d, _)| Period::Day(d)),
        }
    }

    /// The nearest later period of the same kind that has stories.
    pub fn next(&self, library: &Library) -> Option<Period> {
        use std::ops::Bound::{Excluded, Unbounded};
        match *self {
            Period::Year(y) => library
                .years
                .range((Excluded(y), Unbounded))
                .next()
                .map(|(&y, _)| Period::Year(y)),
            Period::Month(y, m) => library
                .months
                .range((Excluded((y, m)), Unbounded))
                .next()
                .map(|(&(y, m), _)| Period::Month(y, m)),
            Period::Day(d) => library
                .days
                .range((Excluded(d), Unbounded))
                .next()
                .map(|(&d, _)| Period::Day(d)),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Front,
    Section(usize),
    Tag(usize),
    Author(usize),
    Archive(Period),
}

/// One page of a paginated list of stories.
#[derive(Debug, Clone)]
pub struct Listing {
    pub kind: Kind,
    /// 1-based.
    pub page: usize,
    pub total_pages: usize,
    pub per_page: usize,
    base: String,
    ids: std::sync::Arc<Vec<usize>>,
}

impl Listing {
    pub fn page_path(&self, n: usize) -> String {
        if n <= 1 {
            self.base.clone()
        } else {
            format!("{}page/{n}/", self.base)
        }
    }

    pub fn page_ids(&self) -> &[usize] {
        let start = (self.page - 1) * self.per_page;
        &self.ids[start.min(self.ids.len())..(start + self.per_page).min(self.ids.len())]
    }

    pub fn paginator(&self, config: &Config) -> Value {
        let url = |n: usize| Address::new(config, &self.page_path(n)).url;
        // The first, the last and those near the current page: a full list would make
        // listings of many pages cost the square of their length.
        let near = self.page.saturating_sub(3).max(1)..=(self.page + 3).min(self.total_pages);
        let mut numbers: Vec<usize> = std::iter::once(1)
            .chain(near)
            .chain(std::iter::once(self.total_pages))
            .collect();
        numbers.dedup();
        let pages: Vec<Value> = numbers
            .into_iter()
            .map(|n| {
                Obj::new()
                    .set("number", n)
                    .set("url", url(n))
                    .set("current", n == self.page)
                    .build()
            })
            .collect();
        Obj::new()
            .set("current", self.page)
            .set("total_pages", self.total_pages)
            .set("total_items", self.ids.len())
            .set(
                "previous",
                if self.page > 1 {
                    url(self.page - 1)
                } else {
                    String::new()
                },
            )
            .set(
                "next",
                if self.page < self.total_pages {
                    url(self.page + 1)
                } else {
                    String::new()
                },
            )
            .set("first", url(1))
            .set("last", url(self.total_pages))
            .set("pages", Value::from(pages))
            .build()
    }

    pub fn describe(&self, library: &Library) -> String {
        match self.kind {
            Kind::Front => "the front page".into(),
            Kind::Section(i) => format!(
                "the section page {}",
                section_path(&library.sections[i].slug)
            ),
            Kind::Tag(i) => format!("the tag page {}", tag_path(&library.tags[i].slug)),
            Kind::Author(i) => format!("the author page {}", author_path(&library.authors[i].slug)),
            Kind::Archive(p) => format!("the archive page {}", p.path()),
        }
    }
}

pub enum Job {
    Story(usize),
    List(Listing),
    Tags,
    Authors,
    ArchiveIndex,
    NotFound,
    Feed {
        path: String,
        title: String,
        description: String,
        link: String,
        stories: std::sync::Arc<Vec<usize>>,
    },
}

impl Job {
    /// The site path the job's page is written to.
    pub fn site_path(&self, library: &Library) -> String {
        match self {
            Job::Story(i) => library.stories[*i].entry.path.clone(),
            Job::List(l) => l.page_path(l.page),
            Job::Tags => "/tags/".into(),
            Job::Authors => "/authors/".into(),
            Job::ArchiveIndex => "/archive/".into(),
            Job::NotFound => "/404.html".into(),
            Job::Feed { path, .. } => path.clone(),
        }
    }

    /// What the page is, for messages.
    pub fn describe(&self, library: &Library) -> String {
        match self {
            Job::Story(i) => format!("story {}", library.stories[*i].entry.file.display()),
            Job::List(l) if l.page > 1 => format!("{} (page {})", l.describe(library), l.page),
            Job::List(l) => l.describe(library),
            Job::Tags => "the tags index".into(),
            Job::Authors => "the authors index".into(),
            Job::ArchiveIndex => "the archive index".into(),
            Job::NotFound => "the 404 page".into(),
            Job::Feed { path, .. } => format!("the feed {path}"),
        }
    }

    pub fn sitemap_url(&self, config: &Config, library: &Library) -> Option<SitemapUrl> {
        let (path, lastmod) = match self {
            Job::Story(i) => {
                let e = &library.stories[*i].entry;
                (e.path.clone(), Some(rfc3339(&e.updated.unwrap_or(e.date))))
            }
            Job::List(l) if l.page == 1 => {
                let newest = l.ids.first().map(|&i| {
                    let e = &library.stories[i].entry;
                    rfc3339(&e.updated.unwrap_or(e.date))
                });
                (l.page_path(1), newest)
            }
            Job::Tags => ("/tags/".into(), None),
            Job::Authors => ("/authors/".into(), None),
            Job::ArchiveIndex => ("/archive/".into(), None),
            _ => return None,
        };
        Some(SitemapUrl {
            loc: Address::new(config, &path).permalink,
            lastmod,
        })
    }
}

fn paginated(config: &Config, kind: Kind, base: String, ids: Vec<usize>, out: &mut Vec<Job>) {
    let per_page = config.paginate;
    let total_pages = ids.len().div_ceil(per_page).max(1);
    let ids = std::sync::Arc::new(ids);
    for page in 1..=total_pages {
        out.push(Job::List(Listing {
            kind,
            page,
            total_pages,
            per_page,
            base: base.clone(),
            ids: ids.clone(),
        }));
    }
}

/// Every page and feed of the site.
pub fn jobs(config: &Config, library: &Library) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..library.stories.len()).map(Job::Story).collect();
    paginated(
        config,
        Kind::Front,
        "/".into(),
        library.front.clone(),
        &mut jobs,
    );
    let all = std::sync::Arc::new((0..library.stories.len()).collect::<Vec<_>>());
    jobs.push(Job::Feed {
        path: "/rss.xml".into(),
        title: config.title.clone(),
        description: if config.description.is_empty() {
            format!("The latest from {}", config.title)
        } else {
            config.description.clone()
        },
        link: "/".into(),
        stories: all,
    });
    for (i, s) in library.sections.iter().enumerate() {
        let base = section_path(&s.slug);
        paginated(
            config,
            Kind::Section(i),
            base.clone(),
            s.stories.clone(),
            &mut jobs,
        );
        jobs.push(Job::Feed {
            path: format!("{base}rss.xml"),
            title: format!("{} | {}", s.name, config.title),
            description: format!("The latest {} stories from {}", s.name, config.title),
            link: base,
            stories: std::sync::Arc::new(s.stories.clone()),
        });
    }
    for (i, t) in library.tags.iter().enumerate() {
        let base = tag_path(&t.slug);
        paginated(
            config,
            Kind::Tag(i),
            base.clone(),
            t.stories.clone(),
            &mut jobs,
        );
        jobs.push(Job::Feed {
            path: format!("{base}rss.xml"),
            title: format!("{} | {}", t.name, config.title),
            description: format!("Stories tagged {} from {}", t.name, config.title),
            link: base,
            stories: std::sync::Arc::new(t.stories.clone()),
        });
    }
    for (i, a) in library.authors.iter().enumerate() {
        paginated(
            config,
            Kind::Author(i),
            author_path(&a.slug),
            a.stories.clone(),
            &mut jobs,
        );
    }
    for (&y, ids) in &library.years {
        paginated(
            config,
            Kind::Archive(Period::Year(y)),
            Period::Year(y).path(),
            ids.clone(),
            &mut jobs,
        );
    }
    for (&(y, m), ids) in &library.months {
        let p = Period::Month(y, m);
        paginated(config, Kind::Archive(p), p.path(), ids.clone(), &mut jobs);
    }
    for (&d, ids) in &library.days {
        let p = Period::Day(d);
        paginated(config, Kind::Archive(p), p.path(), ids.clone(), &mut jobs);
    }
    jobs.extend([Job::Tags, Job::Authors, Job::ArchiveIndex, Job::NotFound]);
    jobs
}

pub fn month_value(config: &Config, y: i32, m: u32, count: usize) -> Value {
    Obj::new()
        .set("month", m)
        .set("name", MONTHS[m as usize - 1])
        .set("url", Address::new(config, &Period::Month(y, m).path()).url)
        .set("count", count)
        .build()
}

/// Weeks of a month, Monday first; padding cells have day 0.
pub fn calendar(config: &Config, library: &Library, y: i32, m: u32) -> Value {
    let Some(first) = NaiveDate::from_ymd_opt(y, m, 1) else {
        return Value::from(Vec::<Value>::new());
    };
    let mut cells: Vec<Value> = Vec::new();
    let blank = || {
        Obj::new()
            .set("day", 0)
            .set("url", "")
            .set("count", 0)
            .build()
    };
    for _ in 0..first.weekday().num_days_from_monday() {
        cells.push(blank());
    }
    for day in 1..=31 {
        let Some(d) = NaiveDate::from_ymd_opt(y, m, day) else {
            break;
        };
        let count = library.days.get(&d).map_or(0, Vec::len);
        let url = if count > 0 {
            Address::new(config, &Period::Day(d).path()).url
        } else {
            String::new()
        };
        cells.push(
            Obj::new()
                .set("day", day)
                .set("url", url)
                .set("count", count)
                .build(),
        );
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(blank());
    }
    Value::from(
        cells
            .chunks(7)
            .map(|w| Value::from(w.to_vec()))
            .collect::<Vec<_>>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paginator_lists_first_last_and_nearby_pages() {
        let config = Config::parse("title = \"T\"\nbase_url = \"https://e.com\"\n", None).unwrap();
        let ids = std::sync::Arc::new((0..200).collect::<Vec<usize>>());
        let at = |page| Listing {
            kind: Kind::Front,
            page,
            total_pages: 20,
            per_page: 10,
            base: "/".into(),
            ids: ids.clone(),
        };
        let numbers = |page| -> Vec<u64> {
            let p = at(page).paginator(&config);
            p.get_from_path("pages")
                .and_then(|v| v.as_array())
                .unwrap()
                .iter()
                .map(|e| e.get_from_path("number").and_then(|n| n.as_u64()).unwrap())
                .collect()
        };
        assert_eq!(numbers(1), vec![1, 2, 3, 4, 20]);
        assert_eq!(numbers(10), vec![1, 7, 8, 9, 10, 11, 12, 13, 20]);
        assert_eq!(numbers(20), vec![1, 17, 18, 19, 20]);
        let p = at(2).paginator(&config);
        assert_eq!(
            p.get_from_path("previous").and_then(|v| v.as_str()),
            Some("/")
        );
        assert_eq!(
            p.get_from_path("next").and_then(|v| v.as_str()),
            Some("/page/3/")
        );
    }
}
