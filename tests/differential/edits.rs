//! The edits editors make, picked by a seeded RNG and applied to the site on disk. Each keeps
//! the site valid (no `@/` link to a missing or draft story, no two stories with one URL)
//! and returns a line for the log.

use super::fixture::{new_story, random_date};
use super::site::{CARD, FOLDERS, Link, NOTE, NOW, PAGE_404, Site, changed_template, dhaka};
use super::text::{self, Rng};

#[derive(Clone, Copy, Debug)]
enum Kind {
    Retitle,
    RetitleLinked,
    Deck,
    Body,
    Redate,
    RedateFar,
    RedateLinked,
    Section,
    TagAdd,
    TagDrop,
    TagRecase,
    Authors,
    AuthorRecase,
    Draft,
    Featured,
    Delete,
    Add,
    Move,
    Summary,
    Paginate,
    Template,
    Static,
}

const WEIGHTS: &[(Kind, u32)] = &[
    (Kind::Retitle, 8),
    (Kind::RetitleLinked, 6),
    (Kind::Deck, 5),
    (Kind::Body, 8),
    (Kind::Redate, 6),
    (Kind::RedateFar, 5),
    (Kind::RedateLinked, 4),
    (Kind::Section, 4),
    (Kind::TagAdd, 5),
    (Kind::TagDrop, 4),
    (Kind::TagRecase, 7),
    (Kind::Authors, 4),
    (Kind::AuthorRecase, 5),
    (Kind::Draft, 4),
    (Kind::Featured, 4),
    (Kind::Delete, 3),
    (Kind::Add, 4),
    (Kind::Move, 4),
    (Kind::Summary, 4),
    (Kind::Paginate, 2),
    (Kind::Template, 3),
    (Kind::Static, 2),
];

/// Applies one random edit and returns its log line.
pub fn random_edit(site: &mut Site, rng: &mut Rng) -> String {
    let total: u32 = WEIGHTS.iter().map(|(_, w)| w).sum();
    loop {
        let mut roll = (rng.next() % u64::from(total)) as u32;
        let kind = WEIGHTS
            .iter()
            .find(|(_, w)| {
                let hit = roll < *w;
                roll = roll.saturating_sub(*w);
                hit
            })
            .map(|(k, _)| *k)
            .expect("a kind");
        // An edit that does not fit this site (say, nothing is linked) is skipped.
        if let Some(line) = apply(site, rng, kind) {
            return line;
        }
    }
}

fn any_story(site: &Site, rng: &mut Rng) -> usize {
    rng.below(site.stories.len())
}

/// A story that other stories link to.
fn linked_story(site: &Site, rng: &mut Rng) -> Option<usize> {
    let linked: Vec<usize> = (0..site.stories.len())
        .filter(|&i| !site.linkers(&site.stories[i].file).is_empty())
        .collect();
    (!linked.is_empty()).then(|| linked[rng.below(linked.len())])
}

fn apply(site: &mut Site, rng: &mut Rng, kind: Kind) -> Option<String> {
    let story_edit = match kind {
        Kind::Body => return body(site, rng),
        Kind::Delete => return delete(site, rng),
        Kind::Add => return add(site, rng),
        Kind::Move => return move_file(site, rng),
        Kind::Paginate | Kind::Template | Kind::Static => return site_edit(site, rng, kind),
        _ => front_matter(site, rng, kind)?,
    };
    let (i, what) = story_edit;
    site.save_story(i);
    Some(what.replace("{}", &site.story_path(i)))
}

/// A front-matter edit of one story: its index and a log line with `{}` for its path.
fn front_matter(site: &mut Site, rng: &mut Rng, kind: Kind) -> Option<(usize, String)> {
    let i = match kind {
        Kind::RetitleLinked => {
            linked_story(site, rng).filter(|&i| site.stories[i].slug.is_none())?
        }
        Kind::RedateLinked => linked_story(site, rng)?,
        Kind::TagRecase => return recase_tag(site, rng),
        _ => any_story(site, rng),
    };
    let linked = site.linkers(&site.stories[i].file).len();
    let title = site.fresh_headline(rng, Some(i));
    let s = &mut site.stories[i];
    let line = match kind {
        Kind::Retitle | Kind::RetitleLinked => {
            s.title = title.clone();
            format!("retitle {{}} to {title:?} (linked from {linked})")
        }
        Kind::Deck => {
            s.subtitle = match s.subtitle {
                Some(_) if rng.chance(40) => None,
                _ => Some(text::deck(rng)),
            };
            format!("set the deck of {{}} to {:?}", s.subtitle)
        }
        Kind::Redate if rng.chance(20) => {
            // The same instant written another way: nothing should change.
            s.date_form = (s.date_form + 1) % 3;
            "write the date of {} in another form".to_string()
        }
        Kind::Redate | Kind::RedateFar | Kind::RedateLinked => {
            let shift = match kind {
                Kind::Redate => rng.range(1, 36) * 3_600,
                _ => rng.range(15, 80) * 86_400,
            };
            let shift = if rng.chance(50) { shift } else { -shift };
            let span = NOW - 130 * 86_400..NOW - 60;
            let date = if span.contains(&(s.date + shift)) {
                s.date + shift
            } else {
                s.date - shift
            };
            s.date = date.clamp(span.start, span.end);
            format!(
                "redate {{}} to {} (linked from {linked})",
                dhaka(s.date).to_rfc3339()
            )
        }
        Kind::Section => {
            let current = s.section().to_string();
            s.section = if s.section.is_some() && rng.chance(40) {
                None
            } else {
                let others: Vec<&&str> = FOLDERS.iter().filter(|f| **f != current).collect();
                Some(rng.pick(&others).to_string())
            };
            format!("set the section of {{}} to {:?}", s.section)
        }
        Kind::TagAdd => {
            let t = rng.pick(text::TAGS);
            if s.tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                return None;
            }
            let tag = text::recase(rng, t, "");
            s.tags.push(tag.clone());
            format!("add tag {tag:?} to {{}}")
        }
        Kind::TagDrop => {
            if s.tags.is_empty() {
                return None;
            }
            let tag = s.tags.remove(rng.below(s.tags.len()));
            format!("drop tag {tag:?} from {{}}")
        }
        Kind::Authors => {
            let who = rng.pick(text::AUTHORS).to_string();
            if s.authors.iter().any(|a| a.eq_ignore_ascii_case(&who)) {
                if s.authors.len() < 2 {
                    return None;
                }
                s.authors.retain(|a| !a.eq_ignore_ascii_case(&who));
            } else if s.authors.len() < 2 && rng.chance(50) {
                s.authors.push(who);
            } else {
                let k = rng.below(s.authors.len());
                s.authors[k] = who;
            }
            format!("set the authors of {{}} to {:?}", s.authors)
        }
        Kind::AuthorRecase => {
            let k = rng.below(s.authors.len());
            let name = text::AUTHORS
                .iter()
                .find(|a| a.eq_ignore_ascii_case(&s.authors[k]))?;
            let new = text::recase(rng, name, &s.authors[k]);
            let old = std::mem::replace(&mut s.authors[k], new.clone());
            format!("recase author {old:?} to {new:?} in {{}}")
        }
        Kind::Featured => {
            s.featured = !s.featured;
            format!("set featured = {} in {{}}", s.featured)
        }
        Kind::Summary => {
            s.summary = match s.summary {
                Some(_) if rng.chance(50) => None,
                _ => Some(text::summary(rng)),
            };
            format!("set the summary of {{}} to {:?}", s.summary)
        }
        Kind::Draft => {
            s.draft = !s.draft;
            let draft = s.draft;
            let file = s.file.clone();
            // A link to a draft fails the build by design: the linking stories drop theirs.
            let fixed = if draft {
                site.drop_links_to(&file)
            } else {
                Vec::new()
            };
            format!("set draft = {draft} in {{}}{}", fixes(&fixed))
        }
        _ => unreachable!("not a front-matter edit: {kind:?}"),
    };
    Some((i, line))
}

/// Recases a tag, most often in the newest published story that carries it (the spelling
/// the site shows may come from there).
fn recase_tag(site: &mut Site, rng: &mut Rng) -> Option<(usize, String)> {
    let tag = rng.pick(text::TAGS);
    let carriers: Vec<usize> = (0..site.stories.len())
        .filter(|&i| {
            site.stories[i]
                .tags
                .iter()
                .any(|t| t.eq_ignore_ascii_case(tag))
        })
        .collect();
    let newest = carriers
        .iter()
        .copied()
        .filter(|&i| !site.stories[i].draft)
        .max_by_key(|&i| site.stories[i].date);
    let i = match newest {
        Some(n) if rng.chance(60) => n,
        _ if carriers.is_empty() => return None,
        _ => carriers[rng.below(carriers.len())],
    };
    let s = &mut site.stories[i];
    let k = s.tags.iter().position(|t| t.eq_ignore_ascii_case(tag))?;
    let new = text::recase(rng, tag, &s.tags[k]);
    let old = std::mem::replace(&mut s.tags[k], new.clone());
    let note = if Some(i) == newest {
        " (its newest story)"
    } else {
        ""
    };
    Some((i, format!("recase tag {old:?} to {new:?} in {{}}{note}")))
}

fn delete(site: &mut Site, rng: &mut Rng) -> Option<String> {
    if site.stories.len() <= 30 {
        return None;
    }
    let i = any_story(site, rng);
    let file = site.stories[i].file.clone();
    let fixed = site.drop_links_to(&file);
    let rel = site.story_path(i);
    site.remove(&rel);
    site.stories.remove(i);
    Some(format!("delete {rel}{}", fixes(&fixed)))
}

fn add(site: &mut Site, rng: &mut Rng) -> Option<String> {
    if site.stories.len() >= 50 {
        return None;
    }
    let folder = rng.pick(FOLDERS);
    let date = random_date(rng);
    let story = new_story(rng, site, folder, date);
    site.next_file += 1;
    site.stories.push(story);
    let i = site.stories.len() - 1;
    site.save_story(i);
    let s = &site.stories[i];
    let links: Vec<&String> = s.links.iter().map(|l| &l.target).collect();
    Some(format!(
        "add {} {:?} dated {}, linking to {links:?}",
        site.story_path(i),
        s.title,
        dhaka(s.date).to_rfc3339()
    ))
}

/// Moves a story file to another folder; the stories linking to it are fixed to match.
fn move_file(site: &mut Site, rng: &mut Rng) -> Option<String> {
    let i = any_story(site, rng);
    let old = site.stories[i].file.clone();
    let folder = rng.pick(FOLDERS);
    let (current, name) = old.split_once('/')?;
    if *folder == current {
        return None;
    }
    let new = format!("{folder}/{name}");
    site.rename(&format!("content/{old}"), &format!("content/{new}"));
    site.stories[i].file = new.clone();
    let n = site.repoint_links(&old, &new);
    Some(format!(
        "move content/{old} to content/{new} (fixing the links in {n} stories)"
    ))
}

fn site_edit(site: &mut Site, rng: &mut Rng, kind: Kind) -> Option<String> {
    match kind {
        Kind::Paginate => {
            let n = 2 + rng.below(5) as u32;
            if n == site.paginate {
                return None;
            }
            site.paginate = n;
            site.save_config();
            Some(format!("set paginate = {n} in config.toml"))
        }
        Kind::Template => {
            let (name, on) = if rng.chance(50) {
                site.card_override = !site.card_override;
                (CARD, site.card_override)
            } else {
                site.page_404_override = !site.page_404_override;
                (PAGE_404, site.page_404_override)
            };
            if on {
                site.write(name, changed_template(name).as_bytes());
                Some(format!("add {name}, a changed copy of the built-in one"))
            } else {
                site.remove(name);
                Some(format!("remove {name}"))
            }
        }
        _ => {
            site.note = match &site.note {
                Some(_) if rng.chance(40) => None,
                _ => Some(format!("Office hours: {}", text::paragraph(rng))),
            };
            match site.note.clone() {
                Some(note) => {
                    site.write(NOTE, note.as_bytes());
                    Some(format!("write {NOTE} ({} bytes)", note.len()))
                }
                None => {
                    site.remove(NOTE);
                    Some(format!("remove {NOTE}"))
                }
            }
        }
    }
}

fn fixes(files: &[String]) -> String {
    if files.is_empty() {
        String::new()
    } else {
        format!(" (dropping its links from {})", files.join(", "))
    }
}

/// A body edit: a paragraph rewritten, added or removed, or a link added or removed.
fn body(site: &mut Site, rng: &mut Rng) -> Option<String> {
    let i = any_story(site, rng);
    let targets = site.link_targets(Some(i));
    let what = match rng.below(4) {
        0 => {
            let s = &mut site.stories[i];
            let k = rng.below(s.paras.len());
            s.paras[k] = text::paragraph(rng);
            format!("rewrite paragraph {} of", k + 1)
        }
        1 => {
            let s = &mut site.stories[i];
            if s.paras.len() > 1 && rng.chance(40) {
                s.paras.pop();
                "drop the last paragraph of".to_string()
            } else {
                s.paras.push(text::paragraph(rng));
                "add a paragraph to".to_string()
            }
        }
        2 => {
            let t = *targets.get(rng.below(targets.len().max(1)))?;
            let target = site.stories[t].file.clone();
            if site.stories[i].links_to(&target) {
                return None;
            }
            site.stories[i].links.push(Link {
                text: rng.pick(text::LINK_TEXTS).to_string(),
                target: target.clone(),
            });
            format!("add a link to @/{target} in")
        }
        _ => {
            let s = &mut site.stories[i];
            if s.links.is_empty() {
                return None;
            }
            let l = s.links.remove(rng.below(s.links.len()));
            format!("remove the link to @/{} from", l.target)
        }
    };
    site.save_story(i);
    Some(format!("{what} {}", site.story_path(i)))
}
