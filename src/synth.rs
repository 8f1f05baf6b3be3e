//! A generator of news-like text, for benchmarks: sources and drafts with a
//! realistic density of figures (counts with nouns, qualifiers, money, dates,
//! ages, measures) and an open vocabulary of place and person names, so word
//! rarity behaves as in a real archive. Deterministic for a seed.

use std::fmt::Write as _;

const ONSETS: &[&str] = &[
    "b", "br", "c", "ch", "d", "dr", "f", "g", "gl", "h", "k", "l", "m", "n", "p", "pr", "r", "s", "sh", "st", "t",
    "tr", "v", "w", "y", "z",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "ou", "ia"];
const CODAS: &[&str] = &["", "n", "r", "l", "s", "th", "nd", "rk", "m", "x"];
const PLACE_ENDS: &[&str] = &[
    "ton", "dale", "field", "bury", "ford", " Creek", " Hill", "wood", " Bay", "ville",
];

const GROUPS: &[(&str, &[&str])] = &[
    ("suspects", &["arrested", "detained", "charged", "held"]),
    ("people", &["evacuated", "injured", "arrested", "rescued"]),
    ("residents", &["evacuated", "left their homes", "were moved"]),
    ("homes", &["destroyed", "damaged", "lost"]),
    ("firefighters", &["deployed", "sent", "working"]),
    ("workers", &["laid off", "employed", "on strike"]),
    ("children", &["rescued", "missing", "vaccinated"]),
    ("soldiers", &["deployed", "killed", "wounded"]),
    ("passengers", &["stranded", "on board", "delayed"]),
    ("cases", &["reported", "recorded", "investigated"]),
];
const OFFICIALS: &[&str] = &[
    "police said",
    "officials said",
    "a spokesman said",
    "the ministry said",
    "the council said",
];
const MONTHS: &[&str] = &[
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
const QUALIFIERS: &[&str] = &[
    "",
    "",
    "",
    "more than ",
    "about ",
    "nearly ",
    "at least ",
    "some ",
    "up to ",
];
const FILLER: &[&str] = &[
    "The investigation is continuing and more details are expected later in the week.",
    "Residents were urged to stay away from the area while crews worked through the night.",
    "The announcement came after weeks of pressure from community groups.",
    "Critics said the response had been too slow and called for an inquiry.",
    "The government has promised to review the rules before the end of the year.",
    "Local businesses said the disruption had hit trade hard.",
    "{person} said the situation in {place} remained difficult but under control.",
    "Authorities in {place} said they were monitoring developments closely.",
    "{person}, a spokesman for the group, declined to comment on the claims.",
    "The decision drew criticism from community leaders in {place}.",
    "{person} told reporters that the review would look at every option.",
    "Officials in {place} have asked the state government for more help.",
    "The opposition said the minister should explain what went wrong in {place}.",
    "Volunteers from {place} joined the effort as conditions worsened.",
    "A report on the incident is due to be handed to {person} next month.",
    "{person} said the community in {place} had shown great resilience.",
];
/// Share of sentences that carry figures: real copy has about one figure per
/// 25 to 40 words (seed and Lee corpora), so most sentences have none.
const FIGURE_SENTENCES: f64 = 0.22;

/// A deterministic text generator.
pub struct Synth {
    rng: fastrand::Rng,
    places: Vec<String>,
    people: Vec<String>,
}

impl Synth {
    pub fn new(seed: u64) -> Synth {
        let mut s = Synth {
            rng: fastrand::Rng::with_seed(seed),
            places: Vec::new(),
            people: Vec::new(),
        };
        // A long tail of names: a few common, most rare.
        s.places = (0..4000).map(|_| s.place_name()).collect();
        s.people = (0..4000).map(|_| s.person_name()).collect();
        s
    }

    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.rng.usize(..items.len())]
    }

    fn syllable(&mut self) -> String {
        format!("{}{}{}", self.pick(ONSETS), self.pick(VOWELS), self.pick(CODAS))
    }

    fn capitalise(s: &str) -> String {
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    }

    fn place_name(&mut self) -> String {
        let base = self.syllable();
        let end = self.pick(PLACE_ENDS);
        Self::capitalise(&format!("{base}{end}"))
    }

    fn person_name(&mut self) -> String {
        let first = Self::capitalise(&format!("{}{}", self.syllable(), self.syllable()));
        let last = Self::capitalise(&format!("{}{}", self.syllable(), self.syllable()));
        format!("{first} {last}")
    }

    /// A place, skewed so some recur often (Zipf-like).
    fn place(&mut self) -> String {
        let r = self.rng.f64();
        let i = ((r * r * r) * self.places.len() as f64) as usize;
        self.places[i.min(self.places.len() - 1)].clone()
    }

    fn person(&mut self) -> String {
        let r = self.rng.f64();
        let i = ((r * r) * self.people.len() as f64) as usize;
        self.people[i.min(self.people.len() - 1)].clone()
    }

    fn count(&mut self) -> u32 {
        match self.rng.u8(..4) {
            0 => self.rng.u32(2..20),
            1 => self.rng.u32(20..200),
            2 => self.rng.u32(200..2000),
            _ => self.rng.u32(2000..50000),
        }
    }

    fn number(&mut self, n: u32) -> String {
        const WORDS: &[&str] = &["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
        if (2..=10).contains(&n) && self.rng.bool() {
            return WORDS[n as usize - 2].to_string();
        }
        let s = n.to_string();
        if n >= 1000 {
            let (a, b) = s.split_at(s.len() - 3);
            format!("{a},{b}")
        } else {
            s
        }
    }

    /// One sentence: most without figures, some with one or two.
    pub fn sentence(&mut self) -> String {
        let place = self.place();
        if self.rng.f64() >= FIGURE_SENTENCES {
            let template = self.pick(FILLER);
            let person = self.person();
            return template.replace("{person}", &person).replace("{place}", &place);
        }
        match self.rng.u8(..8) {
            0..=2 => {
                let (noun, verbs) = GROUPS[self.rng.usize(..GROUPS.len())];
                let verb = self.pick(verbs);
                let q = self.pick(QUALIFIERS);
                let n = self.count();
                let num = self.number(n);
                let who = self.pick(OFFICIALS);
                format!("In {place}, {q}{num} {noun} were {verb} on {}, {who}.", self.date())
            }
            3 => {
                let person = self.person();
                let age = self.rng.u32(18..90);
                let (noun, _) = GROUPS[self.rng.usize(..GROUPS.len())];
                let n = self.count();
                format!(
                    "{person}, {age}, told reporters that {} {noun} had been affected in {place}.",
                    self.number(n)
                )
            }
            4 => {
                let m = self.rng.u32(2..900);
                let p = self.rng.u32(1..60);
                format!("The project in {place} will cost ${m} million, {p} per cent more than first planned.")
            }
            5 => {
                let km = self.rng.u32(2..80);
                let months = self.rng.u32(2..24);
                format!(
                    "Crews near {place} are holding a {km}-kilometre fire front after a {}-month drought.",
                    self.number(months)
                )
            }
            6 => {
                let y = self.rng.u32(1990..2025);
                let n = self.count();
                format!(
                    "Since {y}, {} cases have been recorded in the {place} district.",
                    self.number(n)
                )
            }
            _ => {
                let lo = self.count();
                let hi = lo + self.rng.u32(1..lo.max(2));
                format!(
                    "Between {} and {} visitors are expected in {place} this week.",
                    self.number(lo),
                    self.number(hi)
                )
            }
        }
    }

    fn date(&mut self) -> String {
        let m = self.pick(MONTHS);
        format!("{m} {}", self.rng.u32(1..29))
    }

    /// One source article of about `words` words.
    pub fn source(&mut self, words: usize) -> String {
        let mut out = String::new();
        let title = self.sentence();
        let _ = writeln!(out, "{}\n", title.trim_end_matches('.'));
        let mut n = 0;
        while n < words {
            let s = self.sentence();
            n += s.split_whitespace().count();
            out.push_str(&s);
            out.push(if self.rng.u8(..4) == 0 { '\n' } else { ' ' });
            if self.rng.u8(..6) == 0 {
                out.push('\n');
            }
        }
        out.push('\n');
        out
    }

    /// A Markdown draft of about `words` words.
    pub fn draft(&mut self, words: usize) -> String {
        let mut out = String::from("# Draft\n\n");
        let mut n = 0;
        while n < words {
            let mut para = String::new();
            for _ in 0..self.rng.usize(2..5) {
                let s = self.sentence();
                n += s.split_whitespace().count();
                para.push_str(&s);
                para.push(' ');
            }
            out.push_str(para.trim_end());
            out.push_str("\n\n");
        }
        out
    }

    /// Writes `n` sources of about 250 words into `dir`; returns their total bytes.
    pub fn write_corpus(&mut self, dir: &std::path::Path, n: usize) -> std::io::Result<u64> {
        let mut bytes = 0;
        for i in 0..n {
            let sub = dir.join(format!("{:03}", i / 1000));
            if i % 1000 == 0 {
                std::fs::create_dir_all(&sub)?;
            }
            let text = self.source(250);
            bytes += text.len() as u64;
            std::fs::write(sub.join(format!("s{i:07}.txt")), text)?;
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_with_a_realistic_figure_density() {
        let a = Synth::new(7).source(250);
        let b = Synth::new(7).source(250);
        assert_eq!(a, b);
        let rules = crate::rules::Rules::builtin();
        let mut an = crate::extract::Analyzer::new(&rules);
        let figures: usize = an.analyze(&a).iter().map(|s| s.figures.len()).sum();
        let words = a.split_whitespace().count();
        // Real copy: one figure per 25 to 40 words.
        assert!((4..=20).contains(&figures), "{figures} figures in {words} words:\n{a}");
    }
}
