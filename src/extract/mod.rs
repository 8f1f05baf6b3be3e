//! Figure extraction: from plain text to sentences with figures and context.
//!
//! Sources and drafts go through the same [`Analyzer`], so a figure in a draft
//! and a figure in a source are described in the same terms: a value with its
//! qualifier ([`Bound`]), a dimension ([`Dim`]: a count of some noun, money in
//! some currency, a length, an age, a date...), and the context that tells
//! which fact it belongs to (the content words of its clause and sentence, the
//! event verb, the names of places and people).

mod figures;
pub(crate) use figures::POSSESSIVES;
pub mod names;
pub mod quotes;

pub use tests_support::describe;

mod tests_support;

use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::rules::{Bound, ClassId, CurrencyId, EventId, Rules, UnitId};
use crate::text::{Token, TokenKind, sentences, tokenize, windows, word_hash};

/// What a figure measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Dim {
    /// A number of things; what is counted is in [`Figure::noun`].
    Count,
    /// An amount of money.
    Money(CurrencyId),
    /// A quantity in a unit: lengths, areas, percentages, durations.
    Measure(UnitId),
    /// A person's age in years.
    Age,
    /// A calendar date or year.
    Date,
    /// A rank: "72nd", "the third day".
    Ordinal,
    /// A share written as a fraction: "two-thirds".
    Fraction,
    /// A clock time, in minutes after midnight.
    Time,
    /// A score written as a pair: "9 for 233" (wickets for runs); `lo` is the
    /// first number, `hi` the second. Compared only for equality.
    Score,
}

impl Dim {
    /// Amounts, counts and measures: the dimensions a value is stated in,
    /// as against dates, ages, ranks, shares in words, clock times and
    /// scores. Only these can be rates, have a reporting period, or be
    /// rounded as a writer rounds them.
    pub fn is_quantity(self) -> bool {
        matches!(self, Dim::Count | Dim::Money(_) | Dim::Measure(_))
    }
}

/// A calendar date; any part may be missing ("February 19", "April 2009", "2010").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct DateVal {
    pub year: Option<i32>,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// A figure's value.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Value {
    /// A number or a range of numbers (`lo == hi` for a single number).
    Num { lo: f64, hi: f64 },
    /// A date.
    Date(DateVal),
}

impl Value {
    pub fn num(v: f64) -> Value {
        Value::Num { lo: v, hi: v }
    }
}

/// The counted thing (or, for measures, the measured thing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Noun {
    /// Hash of the head word's stem.
    pub head: u64,
    /// Its class in the rules, when it has one.
    pub class: Option<ClassId>,
    /// Taken from an earlier figure or a table header rather than written next to the number.
    pub inherited: bool,
}

/// One figure found in text. Spans are byte ranges in the analysed text.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Figure {
    /// Qualifier, number and counted noun.
    pub span: Range<u32>,
    /// The number itself (with its currency sign, scale word and unit).
    pub num_span: Range<u32>,
    /// The qualifier ("more than"), if any.
    pub qual_span: Option<Range<u32>>,
    /// The counted noun, if written next to the number.
    pub noun_span: Option<Range<u32>>,
    pub value: Value,
    pub bound: Bound,
    pub dim: Dim,
    pub noun: Option<Noun>,
    /// Stems of the other words of the noun phrase ("microblog" in "80 million microblog users").
    pub modifiers: Words,
    /// The event verb nearest the figure in its clause ("arrested", "rescued").
    pub event: Option<EventId>,
    /// Clause index within the sentence.
    pub clause: u8,
    /// Token positions (relative to the sentence) the figure covers; excluded from its context.
    pub toks: Range<u16>,
    /// Token positions of the value itself (number, scale, unit, date words).
    pub num_toks: Range<u16>,
    /// A number word so often not a count ("one") that it is never reported unsourced.
    pub weak: bool,
    /// For ages: the name of the person (term keys), when one stands next to
    /// the figure ("Hamid Karzai, 45", "55-year-old Zhang Shuxia").
    pub subject: Words,
    /// The year the figure is about, when its sentence says ("revenue of $8.4
    /// million in 1986", "fiscal 1994", "by 2010"): a slot of the fact, so the
    /// same measure in two years is two facts. `None` for dates themselves.
    pub time: Option<i32>,
    /// Whether the sentence tells the figure as a change, and which way
    /// ("gained four seats", "fell 13.5 per cent"): such a figure is a
    /// change's size, checked against a table's column of changes, not its
    /// level. `Unsaid` for a level ("rose to 21") and for a figure with no
    /// change word before it.
    pub change: Direction,
    /// The figure is a change's earlier value ("up from 12.5 per cent",
    /// "rose from 13.2 per cent to 20.7"): of a time before the sentence's
    /// own, so a source's dated earlier figure fits it.
    pub earlier: bool,
    /// The period or base of a rate the figure is ("$2,600 a year", "15
    /// cents a share", "every day, 3,000 children …"): a slot of the fact.
    pub rate: Option<Rate>,
    /// The reporting period the figure's clause gives ("first-half profit",
    /// "full-year revenue"): a slot of the fact, like its year.
    pub period: Option<crate::rules::periods::PeriodId>,
    /// Written as digits times a scale word ("4.2 million", "$1.2bn"): a
    /// form rounded at the precision written, so "4.2 million" is 4.24
    /// million told that way, while "1,090" is no rounding of 1,094.
    pub scaled: bool,
    /// What an amount of money is of, from its clause ("revenue", "net
    /// profit": `money_measure` in the rules): a slot of the fact, like its
    /// period. `None` for other dimensions and where no measure word stands.
    #[serde(default)]
    pub measure: Option<crate::rules::MeasureId>,
}

/// A rate's period or base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Rate {
    /// A unit of measure: a period of time ("a year", "an hour") or a
    /// quantity ("per barrel", "a tonne").
    Unit(crate::rules::UnitId),
    /// Another base, by stem key ("a share", "per person").
    Base(u64),
}

/// The direction a figure is told to have changed in, when it is told as a
/// change at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Direction {
    #[default]
    Unsaid,
    Rise,
    Fall,
}

/// A few word keys kept inline: a figure's modifiers or subject rarely run
/// past three words, and millions of figures should not each own a heap vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Words {
    keys: [u64; 3],
    n: u8,
}

impl Words {
    /// Adds a key; past three, keys are dropped.
    pub fn push(&mut self, key: u64) {
        if (self.n as usize) < self.keys.len() {
            self.keys[self.n as usize] = key;
            self.n += 1;
        }
    }

    pub fn as_slice(&self) -> &[u64] {
        &self.keys[..self.n as usize]
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    pub fn contains(&self, key: &u64) -> bool {
        self.as_slice().contains(key)
    }

    pub fn iter(&self) -> std::slice::Iter<'_, u64> {
        self.as_slice().iter()
    }
}

impl FromIterator<u64> for Words {
    fn from_iter<I: IntoIterator<Item = u64>>(iter: I) -> Words {
        let mut w = Words::default();
        for k in iter {
            w.push(k);
        }
        w
    }
}

/// A content word of a sentence, as context for the figures in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Term {
    /// Hash of the word's stem, or of an event class (see [`event_key`]).
    pub key: u64,
    /// Token position in the sentence.
    pub pos: u16,
    /// Clause index; [`OUTER_CLAUSE`] for context from outside the sentence.
    pub clause: u8,
    /// Whether the word is (part of) a proper name.
    pub name: bool,
    /// The event class, for event terms.
    pub event: Option<EventId>,
}

/// Clause index of context terms that come from outside the sentence (table headers).
pub const OUTER_CLAUSE: u8 = u8::MAX;

/// The position of an outer context term inside brackets ("Population
/// (thousands)", "Persons per sq mile (the resident population per square
/// mile)"): such words qualify the header, a scale or a data note's clause,
/// and do not name the column (other outer terms have position 0).
pub const OUTER_QUALIFIER: u16 = 1;

/// The position of an outer context term after a rate word, outside
/// brackets ("People per sq km"): the rate's base. Such a column counts its
/// head per base, and a figure that names the head but not the base ("2.68
/// million people") is not its figure.
pub const OUTER_BASE: u16 = 2;

/// The position of a table cell's outer term that is a word of its row's
/// label no other row of the table has (`index::rows`): a draft naming it
/// names the row ("Rovers" for "Harbour Rovers").
pub const OUTER_DISTINCT: u16 = 3;

/// The context key of an event class: verbs of one class share it.
pub fn event_key(id: EventId) -> u64 {
    word_hash("\u{1}event") ^ (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// One analysed sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    /// Byte range in the analysed text.
    pub span: Range<u32>,
    pub terms: Vec<Term>,
    pub figures: Vec<Figure>,
}

/// Context that a block brings from outside its text: a table cell's row and
/// column headers.
#[derive(Debug, Clone, Default)]
pub struct OuterContext {
    pub terms: Vec<Term>,
    /// The counted noun a bare number in the block takes ("Workers" column).
    pub noun: Option<Noun>,
    /// The year a table cell's header or row label is ("| 1998 | more than
    /// 11 million |"): the time of the cell's figures that give none.
    pub year: Option<i32>,
}

/// Per-token facts computed once.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Info {
    /// Hash of the lowercase text.
    pub lower: u64,
    /// Hash of the stem (words) or of the lowercase text (others).
    pub stem: u64,
    /// Starts with an uppercase letter.
    pub cap: bool,
    /// A stopword.
    pub stop: bool,
}

/// Stems an [`Analyzer`] remembers (about 16 MB) before it starts afresh.
const STEM_CACHE: usize = 1 << 19;

/// Turns text into sentences with figures. Keeps a cache of stems, so reuse one
/// analyzer for many texts.
pub struct Analyzer<'r> {
    pub(crate) rules: &'r Rules,
    stems: FxHashMap<u64, u64>,
    lower_buf: String,
    /// The year the text was written in, when known (a dated source): it
    /// turns "last year" into a year.
    text_year: Option<i32>,
}

impl<'r> Analyzer<'r> {
    pub fn new(rules: &'r Rules) -> Analyzer<'r> {
        Analyzer {
            rules,
            stems: FxHashMap::default(),
            lower_buf: String::new(),
            text_year: None,
        }
    }

    pub fn rules(&self) -> &'r Rules {
        self.rules
    }

    fn info(&mut self, text: &str, tok: &Token) -> Info {
        let s = &text[tok.range()];
        self.lower_buf.clear();
        if s.is_ascii() {
            self.lower_buf.push_str(s);
            self.lower_buf.make_ascii_lowercase();
        } else {
            self.lower_buf.extend(s.chars().flat_map(char::to_lowercase));
        }
        // Curly apostrophes read as straight ones.
        if self.lower_buf.contains('’') {
            self.lower_buf = self.lower_buf.replace('’', "'");
        }
        let lower = word_hash(&self.lower_buf);
        let stem = if let Some(&place) = self.rules.demonyms.get(&lower) {
            place
        } else if tok.kind == TokenKind::Word {
            match self.stems.get(&lower) {
                Some(&h) => h,
                None => {
                    let h = word_hash(&self.rules.stem(&self.lower_buf));
                    // An analyzer lives for a whole build: a bounded cache
                    // keeps its memory independent of the corpus's vocabulary.
                    if self.stems.len() >= STEM_CACHE {
                        self.stems.clear();
                    }
                    self.stems.insert(lower, h);
                    h
                }
            }
        } else {
            lower
        };
        let cap = s.chars().next().is_some_and(char::is_uppercase);
        // "US", "UN": an acronym is never the pronoun it spells.
        let acronym = s.len() > 1 && s.chars().all(|c| c.is_uppercase());
        Info {
            lower,
            stem,
            cap,
            stop: !acronym && self.rules.stopwords.contains(&lower),
        }
    }

    /// Analyses a text: sentences, their figures and context terms.
    /// Sets the year the texts analysed next were written in (`None`: not
    /// known). Relative years ("last year", "next year") then read as years,
    /// both as figures and as the time of the figures beside them.
    pub fn set_text_year(&mut self, year: Option<i32>) {
        self.text_year = year;
    }

    /// Whether `text` can hold a date with a month or a year when read with
    /// no known year: every such date has a number (which starts with an
    /// ASCII digit) or a month name, and only a known year makes one of
    /// "last year". False lets a source's head lines without either skip a
    /// full analysis (`dateline`, run on every source an index reads).
    pub fn may_date(&mut self, text: &str) -> bool {
        text.bytes().any(|b| b.is_ascii_digit())
            || tokenize(text)
                .iter()
                .any(|t| t.kind == TokenKind::Word && self.rules.months.contains_key(&self.info(text, t).lower))
    }

    /// The year set by [`Analyzer::set_text_year`].
    pub fn text_year(&self) -> Option<i32> {
        self.text_year
    }

    pub fn analyze(&mut self, text: &str) -> Vec<Sentence> {
        self.analyze_with(text, &OuterContext::default())
    }

    /// Analyses a text with context from outside it (a table cell's headers).
    /// A run-on sentence comes back as several [`Sentence`]s, one per window
    /// of at most [`crate::text::WINDOW_HARD`] tokens (see [`windows`]), so
    /// the cost stays linear in the text.
    pub fn analyze_with(&mut self, text: &str, outer: &OuterContext) -> Vec<Sentence> {
        let tokens = tokenize(text);
        let infos: Vec<Info> = tokens.iter().map(|t| self.info(text, t)).collect();
        let ranges = windows(text, &tokens, sentences(text, &tokens, &self.rules.abbreviations));
        ranges
            .into_iter()
            .map(|(r, continues)| self.sentence(text, &tokens[r.clone()], &infos[r], outer, continues))
            .collect()
    }

    /// The outer context of a block from its context lines (headings, a
    /// table cell's column and row headers, a caption): the words of all,
    /// and, for a table cell, the counted noun its column header (the first
    /// line) names. Drafts and sources read blocks' context the same way.
    pub fn block_context(&mut self, context: &[String], table_cell: bool) -> OuterContext {
        let mut outer = OuterContext::default();
        for (i, c) in context.iter().enumerate() {
            let ctx = self.outer_context(c);
            outer.terms.extend(ctx.terms);
            if i == 0 && table_cell {
                outer.noun = ctx.noun;
            }
            if table_cell && outer.year.is_none() {
                // A label with words ("Share in 2011") is read by the
                // column rules.
                outer.year = crate::corpus::data::lone_year(c);
            }
        }
        outer
    }

    /// Reads a short text (a table header) as outer context: its content words,
    /// and the counted noun it names, if any.
    pub fn outer_context(&mut self, text: &str) -> OuterContext {
        // A header abbreviation ("Pts") reads as what it stands for.
        let rules = self.rules;
        let text = rules.header_abbreviations.get(text.trim()).map_or(text, String::as_str);
        let tokens = tokenize(text);
        let infos: Vec<Info> = tokens.iter().map(|t| self.info(text, t)).collect();
        let mut out = OuterContext::default();
        // The counted noun is the head of the header's first noun phrase: its
        // last noun ("deaths" in "Road deaths", not "road"), up to the first
        // word that closes the phrase ("per", "in", a bracket).
        let mut phrase_open = true;
        let mut depth = 0usize;
        let mut after_rate = false;
        for (t, i) in tokens.iter().zip(&infos) {
            match &text[t.range()] {
                "(" => depth += 1,
                ")" => depth = depth.saturating_sub(1),
                _ => {}
            }
            after_rate |= depth == 0 && rules.rate_words.contains(&i.lower);
            let pos = if depth > 0 {
                OUTER_QUALIFIER
            } else if after_rate {
                OUTER_BASE
            } else {
                0
            };
            // A bracket closes the phrase even before its noun: what is in
            // brackets ("(thousands)", a data note's clause) qualifies the
            // header, it does not say what the column counts.
            if out.noun.is_some() && (t.kind != TokenKind::Word || i.stop) || &text[t.range()] == "(" {
                phrase_open = false;
            }
            if t.kind == TokenKind::Word && !i.stop {
                out.terms.push(Term {
                    key: i.stem,
                    pos,
                    clause: OUTER_CLAUSE,
                    name: i.cap,
                    event: None,
                });
                let participle = text[t.range()].to_ascii_lowercase().ends_with("ed");
                if phrase_open
                    && !participle
                    && let Some(class) = self.rules.noun_terms.get1(i.stem)
                {
                    out.noun = Some(Noun {
                        head: i.stem,
                        class: Some(class),
                        inherited: true,
                    });
                }
            }
            if let Some(ev) = self.rules.event_terms.get1(i.stem) {
                out.terms.push(Term {
                    key: event_key(ev),
                    pos: 0,
                    clause: OUTER_CLAUSE,
                    name: false,
                    event: Some(ev),
                });
            }
        }
        // A header of one plural word the rules do not know ("Vacancies",
        // "Vacancies (posts unfilled)") still names what its column counts,
        // outside any class.
        let main = tokens.iter().take_while(|t| &text[t.range()] != "(").count();
        if out.noun.is_none()
            && let ([t], [i]) = (&tokens[..main], &infos[..main])
            && t.kind == TokenKind::Word
            && !i.stop
            && self.rules.event_terms.get1(i.stem).is_none()
        {
            let w = &text[t.range()];
            if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
                out.noun = Some(Noun {
                    head: i.stem,
                    class: None,
                    inherited: true,
                });
            }
        }
        out
    }

    /// One sentence (or window of one: `continues` when it does not start the
    /// sentence). Token positions are `u16`: windows keep them in range.
    fn sentence(
        &mut self,
        text: &str,
        toks: &[Token],
        infos: &[Info],
        outer: &OuterContext,
        continues: bool,
    ) -> Sentence {
        debug_assert!(
            toks.len() <= usize::from(u16::MAX),
            "a window longer than u16 positions"
        );
        let clauses = clauses(text, toks, infos, self.rules);
        let stems: Vec<u64> = infos.iter().map(|x| x.stem).collect();
        let mut terms = Vec::with_capacity(toks.len());
        let mut i = 0;
        while i < toks.len() {
            let t = toks[i];
            let info = infos[i];
            // Event verbs, multi-word first ("voted against").
            let keys = &stems[i..(i + self.rules.event_terms.max_len()).min(toks.len())];
            if let Some((n, ev)) = self.rules.event_terms.longest_prefix(keys) {
                terms.push(Term {
                    key: event_key(ev),
                    pos: i as u16,
                    clause: clauses[i],
                    name: false,
                    event: Some(ev),
                });
                if n > 1 {
                    i += n;
                    continue;
                }
            }
            if t.kind == TokenKind::Word && !info.stop && t.len() > 1 {
                let name = info.cap && self.is_name(text, toks, infos, i, continues);
                terms.push(Term {
                    key: info.stem,
                    pos: i as u16,
                    clause: clauses[i],
                    name,
                    event: None,
                });
            }
            i += 1;
        }
        terms.extend(outer.terms.iter().copied());
        let mut figures = figures::find(self, text, toks, infos, &clauses, &terms);
        // A rate's denominator ("per 100,000 people") is part of the rate,
        // not a count a source must state: never reported unsourced.
        for f in &mut figures {
            let p = f.toks.start as usize;
            if p > 0 && self.rules.rate_words.contains(&infos[p - 1].lower) {
                f.weak = true;
            }
        }
        // The words of a value ("March", "months", "million") are not context:
        // they are compared as values.
        terms.retain(|t| t.clause == OUTER_CLAUSE || !figures.iter().any(|f| f.num_toks.contains(&t.pos)));
        // Kept for the life of the index: no spare capacity.
        terms.shrink_to_fit();
        for f in &mut figures {
            if f.noun.is_none() && f.dim == Dim::Count {
                f.noun = outer.noun;
            }
            if f.time.is_none() && f.dim != Dim::Date {
                f.time = outer.year;
            }
        }
        let span = match (toks.first(), toks.last()) {
            (Some(a), Some(b)) => a.start..b.end,
            _ => 0..0,
        };
        Sentence { span, terms, figures }
    }

    /// Whether a capitalised word is a proper name. A sentence's first word is a
    /// name only if the next word is capitalised too ("Hill Top said") or it is
    /// not a word the rules know in lowercase use.
    fn is_name(&self, text: &str, toks: &[Token], infos: &[Info], i: usize, continues: bool) -> bool {
        let info = infos[i];
        if self.rules.not_names.contains(&info.lower)
            || self.rules.months.contains_key(&info.lower)
            || self.rules.number_words.contains_key(&info.lower)
        {
            return false;
        }
        let s = &text[toks[i].range()];
        if s.len() > 1 && s.chars().all(|c| c.is_uppercase()) && s.len() > 4 {
            // A shouted heading word rather than an acronym.
            return false;
        }
        let first = i == 0 && !continues
            || matches!(
                &text[toks[i - 1].range()],
                "\"" | "“" | "‘" | "'" | "(" | "[" | "—" | "-" | ":"
            );
        if !first {
            return true;
        }
        // At the start of a sentence a capital proves nothing: the word is a name
        // when it is no word the rules know in lowercase use ("Anhui police
        // said", "Traveland has announced", but not "Officers said").
        let lower = s.to_lowercase();
        let known = info.stop
            || self.rules.noun_terms.get1(info.stem).is_some()
            || self.rules.event_terms.get1(info.stem).is_some()
            || self.rules.unit_terms.get1(info.stem).is_some()
            || self.rules.currency_words.get1(info.stem).is_some();
        !known && !lower.ends_with("ly") && !lower.ends_with("ing") && !lower.ends_with("ed")
    }
}

/// Assigns every token a clause index. A clause ends at `;`, `:`, brackets and
/// dashes, at a comma followed by a clause opener (", while", ", where"), and at
/// "and"/"but"/"while" followed by a figure or a verb ("arrested and 11 babies
/// rescued", "killing its pilot and cutting a path"), and after the first
/// comma of a sentence that opens with a subordinator ("If ..., ...").
fn clauses(text: &str, toks: &[Token], infos: &[Info], rules: &Rules) -> Vec<u8> {
    let mut out = Vec::with_capacity(toks.len());
    let mut clause: u8 = 0;
    // In a subordinate clause that opened the sentence or a clause after
    // ";" or ":", whose first comma ends it.
    let mut subordinate = false;
    let mut after_subordinate = false;
    let mut at_start = true;
    // Whether the current clause has a verb yet: "Three US troops and five
    // others were killed" is one clause with a coordinated subject.
    let mut has_verb = false;
    for i in 0..toks.len() {
        let s = &text[toks[i].range()];
        let verb_here = toks[i].kind == TokenKind::Word && {
            let b = s.as_bytes();
            let ends =
                |suffix: &[u8]| b.len() > suffix.len() && b[b.len() - suffix.len()..].eq_ignore_ascii_case(suffix);
            ends(b"ed")
                || ["is", "are", "was", "were", "has", "have", "had", "says", "said"]
                    .iter()
                    .any(|v| s.eq_ignore_ascii_case(v))
                || rules.event_terms.get1(infos[i].stem).is_some() && !ends(b"s")
        };
        let boundary_here = match toks[i].kind {
            TokenKind::Punct => {
                matches!(s, ";" | ":" | "(" | "—" | "–") && toks[i].space_before || matches!(s, ";" | "(")
            }
            TokenKind::Word if rules.clause_openers.contains(&infos[i].lower) => {
                let after_comma = i > 0 && &text[toks[i - 1].range()] == ",";
                let next_is_figure = toks.get(i + 1).is_some_and(|n| {
                    n.kind == TokenKind::Number
                        || n.kind == TokenKind::Symbol
                        || rules.number_words.contains_key(&infos[i + 1].lower)
                        || infos.get(i + 2).is_some_and(|_| {
                            toks[i + 2].kind == TokenKind::Number
                                && matches!(
                                    text[n.range()].to_ascii_lowercase().as_str(),
                                    "the" | "another" | "a" | "some" | "about" | "more" | "over"
                                )
                        })
                });
                let next_is_verb = toks.get(i + 1).is_some_and(|n| {
                    let w = &text[n.range()];
                    n.kind == TokenKind::Word && (w.ends_with("ing") || w.ends_with("ed"))
                });
                after_comma || next_is_figure && has_verb || next_is_verb
            }
            _ => false,
        } || after_subordinate;
        after_subordinate = false;
        if at_start && toks[i].kind == TokenKind::Word {
            subordinate = rules.subordinators.contains(&infos[i].lower);
        }
        at_start = matches!(s, ";" | ":");
        if subordinate && s == "," {
            subordinate = false;
            after_subordinate = true;
        }
        if boundary_here && i > 0 {
            clause = clause.saturating_add(1).min(OUTER_CLAUSE - 1);
            has_verb = false;
        }
        has_verb |= verb_here;
        out.push(clause);
        if matches!(s, ")") {
            clause = clause.saturating_add(1).min(OUTER_CLAUSE - 1);
            has_verb = false;
        }
    }
    out
}

#[cfg(test)]
mod tests;
