//! Scripted sequences for known-hard cases, each checked as an incremental build and as a
//! `serve --watch` rebuild. The asserts on the clean build only make sure the case is what
//! it says; the comparison with the clean build is the test.

use std::panic::AssertUnwindSafe;
use std::path::Path;

use chrono::{FixedOffset, TimeZone};

use super::{Harness, Link, Site, Story, Tree};

/// Unix seconds of a time in the site's zone (+06:00).
fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
    let zone = FixedOffset::east_opt(6 * 3600).expect("offset");
    zone.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("a valid local time")
        .timestamp()
}

fn story(file: &str, title: &str, date: i64, tags: &[&str], authors: &[&str]) -> Story {
    Story {
        file: file.into(),
        title: title.into(),
        slug: None,
        subtitle: None,
        summary: None,
        date,
        date_form: 0,
        section: None,
        tags: tags.iter().map(|t| t.to_string()).collect(),
        authors: authors.iter().map(|a| a.to_string()).collect(),
        featured: false,
        draft: false,
        aliases: Vec::new(),
        paras: vec![
            format!("{title}, the town heard on the day."),
            "More details are expected later in the week.".into(),
        ],
        links: Vec::new(),
    }
}

/// Six stories, two to a page. The regatta story links to the bridge story from its first
/// paragraph, its summary, so the link is on listings too; so does the market story.
fn small_site(root: &Path) -> Site {
    let mut site = Site::new(root);
    site.paginate = 2;
    let link = |target: &str| Link {
        text: "the bridge story".into(),
        target: target.into(),
    };
    let mut regatta = story(
        "sport/regatta.md",
        "Rowing regatta returns to Marrow Quay",
        at(2025, 12, 12, 9, 0),
        &["rivers", "Sport"],
        &["Tomas Hale"],
    );
    regatta.links.push(link("news/bridge.md"));
    let mut market = story(
        "news/market.md",
        "Night market draws crowds to Pellham",
        at(2025, 12, 14, 19, 30),
        &["Rivers", "Markets"],
        &["Rina Akter"],
    );
    market.links.push(link("news/bridge.md"));
    site.stories = vec![
        story(
            "news/bridge.md",
            "Old mill bridge reopens at Norbury",
            at(2025, 12, 10, 10, 0),
            &["Rivers"],
            &["Rina Akter"],
        ),
        regatta,
        market,
        story(
            "culture/lanterns.md",
            "Lantern walk lights up Upper Wend",
            at(2025, 11, 30, 22, 0),
            &["Festivals"],
            &["Lena Frost"],
        ),
        story(
            "business/rice.md",
            "Rice & jute growers split opinion in Tolvern",
            at(2025, 12, 3, 8, 0),
            &["Markets"],
            &["Mira Doss"],
        ),
        story(
            "opinion/fares.md",
            "Ferry fares rise again in Kessel Ford",
            at(2025, 12, 5, 8, 0),
            &["Ferries"],
            &["Mira Doss", "Karim Uddin"],
        ),
    ];
    site.next_file = 100;
    site.write_all();
    site
}

fn text(tree: &Tree, path: &str) -> String {
    let bytes = tree
        .files
        .get(path)
        .unwrap_or_else(|| panic!("the clean build has no {path}"));
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `script` on the small site, built incrementally and served; a failure of the first
/// waits until the second has run too, so one run reports both.
fn both(test: &'static str, script: impl Fn(&mut Harness)) {
    let results = [false, true].map(|serve| {
        std::panic::catch_unwind(AssertUnwindSafe(|| {
            let mut h = Harness::new(test, None, serve, small_site);
            script(&mut h);
            h.finish();
        }))
    });
    for r in results {
        if let Err(panic) = r {
            std::panic::resume_unwind(panic);
        }
    }
}

fn index(site: &Site, file: &str) -> usize {
    site.find(file).expect("a story of the small site")
}

#[test]
fn scripted_retitle_of_a_linked_story_moves_its_links() {
    both("scripted_retitle_of_a_linked_story_moves_its_links", |h| {
        let old = h.site.stories[index(&h.site, "news/bridge.md")].url();
        let clean = h.edit(|site| {
            let i = index(site, "news/bridge.md");
            site.stories[i].title = "Old mill bridge closes again at Norbury".into();
            site.save_story(i);
            "retitle content/news/bridge.md (no slug; linked from two stories)".into()
        });
        let new = h.site.stories[index(&h.site, "news/bridge.md")].url();
        assert_ne!(old, new);
        let regatta = h.site.stories[index(&h.site, "sport/regatta.md")].url();
        for page in [
            format!("{}index.html", &regatta[1..]),
            "sport/index.html".into(),
        ] {
            let page = text(&clean, &page);
            assert!(page.contains(&new) && !page.contains(&old), "{page}");
        }
        assert!(text(&clean, "rss.xml").contains(&new));
    });
}

#[test]
fn scripted_recased_tag_in_its_newest_story() {
    both("scripted_recased_tag_in_its_newest_story", |h| {
        let clean = h.edit(|site| {
            let i = index(site, "news/market.md");
            site.stories[i].tags[0] = "RIVERS".into();
            site.save_story(i);
            "recase tag \"Rivers\" to \"RIVERS\" in content/news/market.md (its newest)".into()
        });
        assert!(text(&clean, "tags/rivers/index.html").contains("RIVERS"));
        // And back, in the same number of bytes.
        h.edit(|site| {
            let i = index(site, "news/market.md");
            site.stories[i].tags[0] = "rivers".into();
            site.save_story(i);
            "recase tag \"RIVERS\" to \"rivers\" in content/news/market.md".into()
        });
    });
}

#[test]
fn scripted_redate_across_a_month_boundary() {
    both("scripted_redate_across_a_month_boundary", |h| {
        let clean = h.edit(|site| {
            let i = index(site, "culture/lanterns.md");
            site.stories[i].date = at(2025, 12, 1, 0, 30);
            site.save_story(i);
            "redate content/culture/lanterns.md from 2025-11-30 22:00 to 2025-12-01 00:30".into()
        });
        assert!(clean.files.contains_key("2025/12/01/index.html"));
        assert!(!clean.files.contains_key("2025/11/index.html"));
        h.edit(|site| {
            let i = index(site, "culture/lanterns.md");
            site.stories[i].date = at(2025, 11, 30, 23, 59);
            site.save_story(i);
            "redate content/culture/lanterns.md back to 2025-11-30 23:59".into()
        });
    });
}

#[test]
fn scripted_recased_author() {
    both("scripted_recased_author", |h| {
        let clean = h.edit(|site| {
            let i = index(site, "opinion/fares.md");
            site.stories[i].authors[0] = "MIRA DOSS".into();
            site.save_story(i);
            "recase author \"Mira Doss\" to \"MIRA DOSS\" in content/opinion/fares.md".into()
        });
        // The newest story's spelling is the author's name everywhere.
        assert!(text(&clean, "authors/mira-doss/index.html").contains("MIRA DOSS"));
        h.edit(|site| {
            let i = index(site, "business/rice.md");
            site.stories[i].authors[0] = "mira doss".into();
            site.save_story(i);
            "recase author \"Mira Doss\" to \"mira doss\" in content/business/rice.md".into()
        });
    });
}
