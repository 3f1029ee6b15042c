//! The words of the fixture: invented news from an invented river town, and the seeded
//! random numbers that pick them.

/// splitmix64: tiny, seedable, and the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "below(0)");
        (self.next() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

const SUBJECTS: &[&str] = &[
    "Ferry fares",
    "The night market",
    "Riverside school",
    "Town council",
    "Water board",
    "Cricket club",
    "Old mill bridge",
    "Library roof",
    "Bus depot",
    "Fish landing",
    "Flower show",
    "Harbour lights",
    "Clinic hours",
    "Rice & jute growers",
    "Street lamps",
    "Youth football league",
    "Tram line",
    "Weekly bazaar",
];

const VERBS: &[&str] = &[
    "delayed again in",
    "to reopen in",
    "under review in",
    "back on the agenda in",
    "set for a vote in",
    "praised by residents of",
    "to get new funding in",
    "on hold in",
    "cleared to go ahead in",
    "closed early in",
];

const PLACES: &[&str] = &[
    "Norbury",
    "Kessel Ford",
    "Upper Wend",
    "Marrow Quay",
    "Pellham",
    "Ashby Reach",
    "Tolvern",
    "Greyhaven Road",
    "Lintmoor",
    "East Sallow",
];

const PREFIXES: &[&str] = &["", "", "", "", "Update: ", "Analysis: ", "Mayor's view: "];

const SENTENCES: &[&str] = &[
    "Residents gathered outside the ward office before nine in the morning.",
    "The clerk said the figures would be posted on the notice board by Friday.",
    "Two councillors asked for the matter to be held over until the spring.",
    "Boatmen on the east bank said the change would cost them a day's takings.",
    "A spokesperson for the water board declined to give a date.",
    "Shopkeepers along the high street reported a busy weekend.",
    "The headteacher thanked parents for their patience during the repairs.",
    "Rain kept most people indoors for the second day running.",
    "Volunteers painted the railings and swept the steps down to the ghat.",
    "The last time the question came up, the vote was tied.",
    "Fishermen said the catch had been thin since the cold snap.",
    "Tickets will be sold at the gate, cash only.",
    "The mayor is expected to speak at the opening on Saturday.",
    "Older residents remember a similar row in the early eighties.",
    "A petition with four hundred names was handed in on Tuesday.",
    "Traffic was diverted along the canal road for most of the afternoon.",
    "Stallholders are asked to register with the market office in advance.",
    "The club's treasurer said the accounts would be open to members.",
];

const DECKS: &[&str] = &[
    "Residents are asked to comment by Friday",
    "A second vote is due next month",
    "Stallholders say the new rules came too fast",
    "The work should be finished before the rains",
    "Parents welcome the news, with some doubts",
    "Officials promise a fuller answer next week",
];

const SUMMARIES: &[&str] = &[
    "A short account of what was decided and what happens next.",
    "What changes for people who use it every day.",
    "The numbers behind the decision, and who pays.",
    "Why the plan was put off again, in brief.",
];

/// Tags as first spelled; stories may spell them in other cases.
pub const TAGS: &[&str] = &[
    "Rivers",
    "Ferries",
    "Schools",
    "Budget",
    "Football",
    "Markets",
    "Weather",
    "Health",
    "Roads",
    "Festivals",
    "Council",
    "Cricket",
];

pub const AUTHORS: &[&str] = &[
    "Rina Akter",
    "Tomas Hale",
    "Mira Doss",
    "Karim Uddin",
    "Staff Reporter",
    "Lena Frost",
];

pub const LINK_TEXTS: &[&str] = &[
    "the earlier report",
    "last week's story",
    "as we reported",
    "the background",
    "the first vote",
];

pub fn headline(rng: &mut Rng) -> String {
    format!(
        "{}{} {} {}",
        rng.pick(PREFIXES),
        rng.pick(SUBJECTS),
        rng.pick(VERBS),
        rng.pick(PLACES)
    )
}

/// Two or three different sentences.
pub fn paragraph(rng: &mut Rng) -> String {
    let mut picked: Vec<&str> = Vec::new();
    while picked.len() < 2 + rng.below(2) {
        let s = *rng.pick(SENTENCES);
        if !picked.contains(&s) {
            picked.push(s);
        }
    }
    picked.join(" ")
}

pub fn deck(rng: &mut Rng) -> String {
    rng.pick(DECKS).to_string()
}

pub fn summary(rng: &mut Rng) -> String {
    rng.pick(SUMMARIES).to_string()
}

/// `word` in another case than `current`: as first spelled, lower or upper.
pub fn recase(rng: &mut Rng, word: &str, current: &str) -> String {
    let forms = [word.to_string(), word.to_lowercase(), word.to_uppercase()];
    let others: Vec<&String> = forms.iter().filter(|f| f.as_str() != current).collect();
    others[rng.below(others.len())].clone()
}

/// The build's ASCII slug rule: letters and digits, lower case, runs of anything else a
/// single dash, apostrophes dropped.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' {
            dash = true;
        }
    }
    out
}
