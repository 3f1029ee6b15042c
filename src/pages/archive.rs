//! Per-date archives: `/YYYY/`, `/YYYY/MM/`, `/YYYY/MM/DD/` (+ `page/N/`), each linking to the
//! neighbouring periods that have stories.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::Cx;
use super::listing::{Listed, Listing};
use crate::model::{Address, Library};
use crate::view::page::Head;
use crate::view::{Meta, OrEmpty, Paginator, Shared, Words};

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

    fn kind(&self) -> &'static str {
        match self {
            Period::Year(_) => "year",
            Period::Month(..) => "month",
            Period::Day(_) => "day",
        }
    }

    fn ymd(&self) -> (i32, u32, u32) {
        match *self {
            Period::Year(y) => (y, 0, 0),
            Period::Month(y, m) => (y, m, 0),
            Period::Day(d) => (d.year(), d.month(), d.day()),
        }
    }

    pub fn title(&self, cx: &Cx) -> String {
        match *self {
            Period::Year(y) => y.to_string(),
            Period::Month(y, m) => format!("{} {y}", cx.words.month(m)),
            Period::Day(d) => d.format(&cx.config.date_format).to_string(),
        }
    }

    fn stories<'a>(&self, library: &'a Library) -> &'a [usize] {
        let found = match self {
            Period::Year(y) => library.years.get(y),
            Period::Month(y, m) => library.months.get(&(*y, *m)),
            Period::Day(d) => library.days.get(d),
        };
        found.map_or(&[], Vec::as_slice)
    }

    /// The nearest earlier (`later` false) or later period of the same kind with stories.
    fn neighbour(&self, library: &Library, later: bool) -> Option<Period> {
        use std::ops::Bound::{Excluded, Unbounded};
        fn pick<K: Ord + Copy, V>(
            map: &std::collections::BTreeMap<K, V>,
            at: K,
            later: bool,
        ) -> Option<K> {
            if later {
                map.range((Excluded(at), Unbounded)).next().map(|(k, _)| *k)
            } else {
                map.range(..at).next_back().map(|(k, _)| *k)
            }
        }
        match *self {
            Period::Year(y) => pick(&library.years, y, later).map(Period::Year),
            Period::Month(y, m) => {
                pick(&library.months, (y, m), later).map(|(y, m)| Period::Month(y, m))
            }
            Period::Day(d) => pick(&library.days, d, later).map(Period::Day),
        }
    }
}

pub struct Archives;

#[derive(Serialize)]
struct View {
    site: Shared,
    page: Meta,
    archive: Archive,
    stories: Vec<Shared>,
    paginator: Paginator,
}

/// `archive` (docs/templates.md).
#[derive(Serialize)]
struct Archive {
    kind: &'static str,
    year: i32,
    month: u32,
    day: u32,
    title: String,
    url: String,
    permalink: String,
    previous: OrEmpty<Neighbour>,
    next: OrEmpty<Neighbour>,
    count: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    months: Option<Vec<MonthView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weeks: Option<Vec<Vec<Cell>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    by_section: Option<Vec<SectionBlock>>,
}

#[derive(Serialize)]
struct Neighbour {
    title: String,
    url: String,
}

#[derive(Serialize)]
pub(super) struct MonthView {
    month: u32,
    name: &'static str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct Cell {
    day: u32,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct SectionBlock {
    section: Shared,
    stories: Vec<Shared>,
}

/// The months of year `y` that have stories, January first.
pub(super) fn months(cx: &Cx, y: i32) -> Vec<MonthView> {
    cx.library
        .months
        .range((y, 1)..=(y, 12))
        .map(|(&(y, m), ids)| MonthView {
            month: m,
            name: cx.words.month(m),
            url: Address::new(cx.config, &Period::Month(y, m).path()).url,
            count: ids.len(),
        })
        .collect()
}

/// Weeks of a month, Monday first; padding cells have day 0.
fn calendar(cx: &Cx, y: i32, m: u32) -> Vec<Vec<Cell>> {
    let Some(first) = NaiveDate::from_ymd_opt(y, m, 1) else {
        return Vec::new();
    };
    let blank = || Cell {
        day: 0,
        url: String::new(),
        count: 0,
    };
    let mut cells: Vec<Cell> = (0..first.weekday().num_days_from_monday())
        .map(|_| blank())
        .collect();
    for d in first.iter_days().take_while(|d| d.month() == m) {
        let count = cx.library.days.get(&d).map_or(0, Vec::len);
        let url = if count > 0 {
            Address::new(cx.config, &Period::Day(d).path()).url
        } else {
            String::new()
        };
        cells.push(Cell {
            day: d.day(),
            url,
            count,
        });
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(blank());
    }
    let mut weeks = Vec::new();
    let mut cells = cells.into_iter();
    loop {
        let week: Vec<Cell> = cells.by_ref().take(7).collect();
        if week.is_empty() {
            return weeks;
        }
        weeks.push(week);
    }
}

impl Listed for Archives {
    type Item = Period;
    const TEMPLATE: &'static str = "archive.html";

    /// Years, then months, then days, each in order.
    fn items(&self, cx: &Cx) -> Vec<(Period, String, Vec<usize>)> {
        let library = cx.library;
        (library.years.keys().map(|&y| Period::Year(y)))
            .chain(library.months.keys().map(|&(y, m)| Period::Month(y, m)))
            .chain(library.days.keys().map(|&d| Period::Day(d)))
            .map(|p| (p, p.path(), p.stories(library).to_vec()))
            .collect()
    }

    fn describe(&self, _: &Cx, period: &Period) -> String {
        format!("the archive page {}", period.path())
    }

    fn view<'a>(
        &self,
        cx: &'a Cx<'_>,
        period: &'a Period,
        list: &'a Listing,
    ) -> Box<dyn erased_serde::Serialize + 'a> {
        let library = cx.library;
        let period = *period;
        let title = period.title(cx);
        let a = Address::new(cx.config, &period.path());
        let neighbour = |later| {
            OrEmpty(period.neighbour(library, later).map(|p| Neighbour {
                title: p.title(cx),
                url: Address::new(cx.config, &p.path()).url,
            }))
        };
        let (year, month, day) = period.ymd();
        let ids = list.ids();
        let archive = Archive {
            kind: period.kind(),
            year,
            month,
            day,
            title: title.clone(),
            url: a.url,
            permalink: a.permalink,
            previous: neighbour(false),
            next: neighbour(true),
            count: period.stories(library).len(),
            months: matches!(period, Period::Year(_)).then(|| months(cx, year)),
            weeks: matches!(period, Period::Month(..)).then(|| calendar(cx, year, month)),
            by_section: matches!(period, Period::Day(_)).then(|| {
                (library.sections.iter().enumerate())
                    .filter_map(|(i, _)| {
                        let here: Vec<usize> = ids
                            .iter()
                            .copied()
                            .filter(|&j| library.stories[j].section == i)
                            .collect();
                        (!here.is_empty()).then(|| SectionBlock {
                            section: cx.views.sections[i].shared,
                            stories: cx.views.story_list(&here),
                        })
                    })
                    .collect()
            }),
        };
        let name = format!("{title}{}", cx.words.suffix(list.page));
        let head = Head::new("archive", cx.title(&name), &list.path)
            .named(&name)
            .described(Words::fill(
                cx.words.period_description,
                &[("period", &title), ("site", &cx.config.title)],
            ));
        Box::new(View {
            site: cx.views.site.shared,
            page: head.meta(cx.config),
            archive,
            stories: cx.views.story_list(ids),
            paginator: list.paginator(cx),
        })
    }
}
