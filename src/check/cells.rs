//! Data cells as facts. A cell of a data file (CSV, spreadsheet, JSON
//! records) states one fact: its row's, named by the row label (the row's
//! first cell), and its column's, named by the header. A draft figure whose
//! sentence names a row is about that row: another row's cell is another
//! fact, however close its value, and the named row's cell with another value
//! is a mismatch to name, not an unsourced figure.

use crate::corpus::Locator;
use crate::extract::{Dim, Direction, Figure, OUTER_BASE, OUTER_CLAUSE, OUTER_DISTINCT, OUTER_QUALIFIER, Term, Value};
use crate::index::{Facts, SentenceRec};
use crate::rules::{EventId, Rules};

use rustc_hash::FxHashSet;

use super::Cand;

/// The words of a draft sentence that may name a table's row, with where
/// they stand relative to its figures: a sentence naming two rows ("The
/// South has 9.5 million people, the North 8.2 million") speaks of each
/// row at the figure nearest its name.
#[derive(Debug, Clone, Default)]
pub(crate) struct RowWords {
    keys: FxHashSet<u64>,
    /// Each word: its key, token position and clause.
    at: Vec<(u64, u16, u8)>,
    /// The token positions and clause of the figure being checked.
    fig: FigAt,
    /// Those of the sentence's other figures.
    others: Vec<FigAt>,
    /// Which way the sentence says the figure changed things.
    direction: Direction,
}

/// The direction of the figure `fi` of a sentence: its own change word's, or,
/// when the figure opens the clause that follows the previous figure's and no
/// word of its clause comes before it, that figure's. So the second of two
/// coordinated objects shares the verb of the first ("added 17.6 per cent to
/// its population and two seats in the House"), while a conjunct with a verb
/// of its own keeps its own ("and lost one of its seats").
pub(crate) fn direction_in(terms: &[Term], figures: &[Figure], fi: usize) -> Direction {
    let fig = &figures[fi];
    let own = fig.change;
    if own != Direction::Unsaid || fig.clause == 0 {
        return own;
    }
    let opens_clause = !terms.iter().any(|t| t.clause == fig.clause && t.pos < fig.toks.start);
    let previous = figures
        .iter()
        .filter(|g| g.toks.end <= fig.toks.start)
        .max_by_key(|g| g.toks.end)
        .filter(|g| g.clause + 1 == fig.clause);
    match previous {
        Some(g) if opens_clause => g.change,
        _ => own,
    }
}

/// The value a cell is read as against a draft figure: a negative cell
/// ("-13.5" in a column of changes) is the fall the draft tells as "fell
/// 13.5 per cent", or a change it tells with no direction; against "rose
/// 13.5 per cent" it stays negative, another value.
pub(crate) fn signed_value(words: &RowWords, sent: &SentenceRec, v: Value) -> Value {
    match v {
        Value::Num { lo, hi }
            if hi < 0.0 && words.direction != Direction::Rise && matches!(sent.locator, Some(Locator::Cell { .. })) =>
        {
            Value::Num { lo: -hi, hi: -lo }
        }
        v => v,
    }
}

/// Where a figure stands in its sentence: its tokens and its clause.
pub(crate) type FigAt = (std::ops::Range<u16>, u8);

/// How far a word stands from a figure, in tokens: none inside the figure's
/// own phrase ("2,310 mathematics teachers"), a word after the figure a half
/// token further than one before it at the same distance ("Science has 79
/// vacancies, mathematics 84"), and a word of another clause further than
/// any of the figure's own ("2,096 in the South, and 1,284 in the North").
fn distance((fig, clause): &FigAt, p: u16, word_clause: u8) -> f32 {
    /// Farther than any sentence is long.
    const OTHER_CLAUSE: f32 = 100_000.0;
    let d = if fig.contains(&p) {
        0.0
    } else if p < fig.start {
        f32::from(fig.start - p)
    } else {
        f32::from(p + 1 - fig.end) + 0.5
    };
    if word_clause == *clause { d } else { d + OTHER_CLAUSE }
}

impl RowWords {
    /// From the draft sentence's own terms (not its headings), the token
    /// positions of the figure and those of the sentence's other figures.
    pub(crate) fn new<'t>(terms: impl IntoIterator<Item = &'t Term>, fig: FigAt, others: Vec<FigAt>) -> RowWords {
        let at: Vec<(u64, u16, u8)> = terms.into_iter().map(|t| (t.key, t.pos, t.clause)).collect();
        RowWords {
            keys: at.iter().map(|(k, ..)| *k).collect(),
            at,
            fig,
            others,
            direction: Direction::Unsaid,
        }
    }

    /// The same, the figure told as a change in `direction`.
    pub(crate) fn with_direction(mut self, direction: Direction) -> RowWords {
        self.direction = direction;
        self
    }

    /// Whether the figure is told as a change ("gained four seats").
    pub(crate) fn told_as_change(&self) -> bool {
        self.direction != Direction::Unsaid
    }

    fn names(&self, label: &[u64]) -> bool {
        label.iter().all(|k| self.keys.contains(k))
    }

    /// Whether a mention of `key` stands nearer the figure than any other
    /// figure of the sentence.
    fn owns_key(&self, key: u64) -> bool {
        self.at.iter().filter(|(k, ..)| *k == key).any(|&(_, p, c)| {
            let here = distance(&self.fig, p, c);
            self.others.iter().all(|g| here <= distance(g, p, c))
        })
    }

    /// Whether every word of a row label stands nearer the figure than any
    /// other figure: the row is then this figure's. Every word, since rows
    /// share words ("Glasgow City", "Aberdeen City").
    fn owns(&self, label: &[u64]) -> bool {
        !label.is_empty() && label.iter().all(|k| self.owns_key(*k))
    }

    /// Whether some word of a column's header stands nearest the figure.
    pub(super) fn owns_any(&self, header: &[u64]) -> bool {
        header.iter().any(|k| self.owns_key(*k))
    }
}

/// How far back from a cell the row's first cell is looked for: the widest
/// table whose rows are told apart by label. Wider rows read as unlabelled.
const MAX_COLUMNS: u32 = 256;

/// How a cell's row stands to a draft sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowFit {
    /// Not a data cell, or a cell whose row has no label in words.
    Unknown,
    /// Every word of the row label is in the draft sentence.
    Named,
    /// The row label is not in the draft sentence.
    Unnamed,
}

/// The term keys of the row label of the cell that sentence `id` is, if it
/// is a data cell right of its row's first cell. Cells are indexed row by
/// row, so the row's first cell is a few sentences back.
pub(crate) fn row_label(index: &dyn Facts, id: u32, sent: &SentenceRec) -> Option<Vec<u64>> {
    let Some(Locator::Cell { row, column }) = sent.locator else {
        return None;
    };
    // The leftmost cell before it that is words, not a number: a league
    // table's "Pos" column comes before its "Club".
    let mut first: Option<(u32, Vec<u64>)> = None;
    for back in 1..=MAX_COLUMNS.min(id) {
        let s = index.sentence(id - back);
        if s.source != sent.source {
            break;
        }
        match s.locator {
            Some(Locator::Cell { row: r, column: c }) if r == row && c < column => {
                let keys: Vec<u64> = s
                    .terms
                    .iter()
                    .filter(|t| t.clause != OUTER_CLAUSE && t.event.is_none())
                    .map(|t| t.key)
                    .collect();
                if s.figures.is_empty() && !keys.is_empty() && first.as_ref().is_none_or(|(fc, _)| c < *fc) {
                    first = Some((c, keys));
                }
            }
            // Another sentence of the same cell (a cell of two sentences).
            Some(Locator::Cell { row: r, column: c }) if r == row && c == column => {}
            _ => break,
        }
    }
    first.map(|(_, keys)| keys)
}

/// How the row of the cell that sentence `id` is stands to a draft sentence
/// holding `sentence_keys`.
pub(crate) fn row_fit(index: &dyn Facts, id: u32, sent: &SentenceRec, words: &RowWords) -> RowFit {
    row_fit_owned(index, id, sent, words).0
}

/// The fit, and for a named row whether its label is the figure's own.
fn row_fit_owned(index: &dyn Facts, id: u32, sent: &SentenceRec, words: &RowWords) -> (RowFit, bool) {
    match row_label(index, id, sent) {
        None => (RowFit::Unknown, false),
        Some(label) if words.names(&label) => (RowFit::Named, words.owns(&label)),
        Some(_) => {
            // Named by a word of the label no other row has ("Rovers").
            let named: Vec<u64> = sent
                .terms
                .iter()
                .filter(|t| t.clause == OUTER_CLAUSE && t.pos == OUTER_DISTINCT && words.keys.contains(&t.key))
                .map(|t| t.key)
                .collect();
            if named.is_empty() {
                (RowFit::Unnamed, false)
            } else {
                (RowFit::Named, words.owns(&named))
            }
        }
    }
}

/// A data cell's row, read once: the cell itself first, then every other
/// sentence of its row (cells are indexed row by row, so they stand within
/// [`MAX_COLUMNS`] sentences of it), each with its column, whether it holds
/// a figure, and its outer words (headers, row label, caption, section).
pub(super) struct Row {
    cells: Vec<RowCell>,
}

struct RowCell {
    column: u32,
    figures: bool,
    outer: FxHashSet<u64>,
}

impl RowCell {
    fn of(s: &SentenceRec) -> RowCell {
        RowCell {
            column: match s.locator {
                Some(Locator::Cell { column, .. }) => column,
                _ => u32::MAX,
            },
            figures: !s.figures.is_empty(),
            outer: s
                .terms
                .iter()
                .filter(|t| t.clause == OUTER_CLAUSE && t.pos != OUTER_QUALIFIER && t.event.is_none())
                .map(|t| t.key)
                .collect(),
        }
    }
}

impl Row {
    /// The row of the cell that sentence `id` is; the cell alone when it is
    /// none.
    pub(super) fn of(index: &dyn Facts, id: u32, sent: &SentenceRec) -> Row {
        let mut cells = vec![RowCell::of(sent)];
        if let Some(Locator::Cell { row, .. }) = sent.locator {
            let same_row = |j: u32| -> Option<std::sync::Arc<SentenceRec>> {
                let s = index.sentence(j);
                (s.source == sent.source && matches!(s.locator, Some(Locator::Cell { row: r, .. }) if r == row))
                    .then_some(s)
            };
            let n = index.sentence_count() as u32;
            let after = (id + 1..n.min(id.saturating_add(MAX_COLUMNS))).map_while(same_row);
            let before = (id.saturating_sub(MAX_COLUMNS)..id).rev().map_while(same_row);
            cells.extend(after.chain(before).map(|s| RowCell::of(&s)));
        }
        Row { cells }
    }

    /// The words only the column header of cell `i` gives it: its outer
    /// context less what every figure cell of the row's other columns shares
    /// (the row label, the caption, the section, not the headers). Against
    /// every cell, not one neighbour: "Renewable share" next to "Renewable
    /// share 2011 (%)" keeps its words, which the population column's cell
    /// does not have. `None` for a cell alone in its row.
    fn own_words(&self, i: usize) -> Option<Vec<u64>> {
        let me = &self.cells[i];
        let mut shared: Option<FxHashSet<u64>> = None;
        for c in self.cells.iter().filter(|c| c.figures && c.column != me.column) {
            shared = Some(match shared {
                None => c.outer.clone(),
                Some(acc) => acc.intersection(&c.outer).copied().collect(),
            });
        }
        let shared = shared?;
        let mine: Vec<u64> = me.outer.iter().copied().filter(|k| !shared.contains(k)).collect();
        (!mine.is_empty()).then_some(mine)
    }

    /// [`Row::own_words`] of the cell itself.
    pub(super) fn header_keys(&self) -> Option<Vec<u64>> {
        self.own_words(0)
    }

    /// Whether the cell's column is one of changes: its own header words hold
    /// a rise, fall or change word of the `[arithmetic]` rules ("Seat
    /// change", "Increase").
    pub(super) fn change_column(&self, rules: &Rules) -> bool {
        self.changes(rules, 0)
    }

    /// Whether another column of the row is one of changes.
    pub(super) fn has_change_column(&self, rules: &Rules) -> bool {
        let me = self.cells[0].column;
        (1..self.cells.len()).any(|i| self.cells[i].column != me && self.changes(rules, i))
    }

    fn changes(&self, rules: &Rules, i: usize) -> bool {
        self.own_words(i)
            .is_some_and(|keys| keys.iter().any(|k| rules.arithmetic.names_change(*k)))
    }
}

/// The words of a cell header's rate base ("sq km" of "People per sq km").
fn rate_base_keys(sent: &SentenceRec) -> Vec<u64> {
    sent.terms
        .iter()
        .filter(|t| t.clause == OUTER_CLAUSE && t.pos == OUTER_BASE)
        .map(|t| t.key)
        .collect()
}

/// The events a cell's header names ("Killed", "Seriously injured"): a
/// cell's clause is its column, so they are its figure's events.
pub(crate) fn header_events(sent: &SentenceRec) -> Vec<EventId> {
    let mut out = Vec::new();
    if matches!(sent.locator, Some(Locator::Cell { .. })) {
        for e in sent
            .terms
            .iter()
            .filter(|t| t.clause == OUTER_CLAUSE)
            .filter_map(|t| t.event)
        {
            if !out.contains(&e) {
                out.push(e);
            }
        }
    }
    out
}

/// The relation of a draft figure to a cell of a row the draft names: the
/// column counts what the draft counts when the header's noun is the
/// draft's, or the header names the event the draft's noun counts or its
/// clause tells ("1,280 deaths" and "Killed"), or the header's unit is the
/// draft figure's ("49.7%" and "Pupils in academies (%)"). Then the header is no guess
/// from context but the cell's own statement, and the relation is whole.
pub(crate) fn column_relation(
    rules: &Rules,
    rel: f32,
    d: &Figure,
    s: &Figure,
    d_events: &[EventId],
    s_events: &[EventId],
    named: bool,
) -> f32 {
    // The sentence names the cell's column at the figure ("Alaska's violent
    // crime rate was 645.1"): the column is the figure's, whatever its noun.
    if named {
        return rel.max(1.0);
    }
    // The same noun, or one class of thing ("3,522 people" and "Persons"),
    // or a narrower one ("564,000 residents" and "Population").
    let same_noun = matches!((d.noun, s.noun), (Some(a), Some(b)) if a.head == b.head
        || a.class.is_some() && a.class == b.class
        || matches!((a.class, b.class), (Some(x), Some(y)) if rules.is_broader(y, x)));
    let noun_event = d.noun.and_then(|n| n.class).and_then(|c| rules.nouns[c as usize].event);
    let same_event = s.noun.is_none() && s_events.iter().any(|e| Some(*e) == noun_event || d_events.contains(e));
    // A unit the header gives its column ("(%)") and the draft writes.
    let same_unit = matches!(d.dim, Dim::Measure(_) | Dim::Money(_)) && d.dim == s.dim;
    if same_noun || same_event || same_unit {
        rel.max(1.0)
    } else {
        rel
    }
}

/// Where the draft sentence names a row of some table, the cells of rows it
/// does not name are other facts: "The South had 1,284 road deaths" is
/// checked against the South's cell, not supported by the North's. Where it
/// names several, a figure is the row named nearest it: in "The North had
/// about 1,300, the East 732" the East's cell is another fact for "about
/// 1,300". And where it names a column of the row at the figure, the row's
/// other columns are other facts.
pub(super) fn named_rows_only(index: &dyn Facts, words: &RowWords, fig: &Figure, cands: Vec<Cand>) -> Vec<Cand> {
    let fits: Vec<(RowFit, bool)> = cands
        .iter()
        .map(|c| row_fit_owned(index, c.fact.sentence, &index.sentence(c.fact.sentence), words))
        .collect();
    if !fits.iter().any(|(f, _)| *f == RowFit::Named) {
        return cands;
    }
    let owned = fits.iter().any(|(f, o)| *f == RowFit::Named && *o);
    let kept: Vec<(Cand, RowFit)> = cands
        .into_iter()
        .zip(fits)
        .filter(|(_, (f, o))| match f {
            RowFit::Unnamed => false,
            RowFit::Named => *o || !owned,
            RowFit::Unknown => true,
        })
        .map(|(c, (f, _))| (c, f))
        .collect();
    // Of the named row's cells, those whose header the sentence names at
    // this figure ("18.1 per cent were of pension age") are its column's:
    // the row's other columns are other facts, whatever their values. Of
    // several, the column the sentence names most words of ("Pension age or
    // over" before "Aged 5 to 15" for "of pension age"), then one of the
    // figure's own time: a header's year the draft does not give it ("Share
    // in 2011") makes another column of the same measure a worse fit.
    let fit: Vec<Option<(usize, u8)>> = kept
        .iter()
        .map(|(c, f)| {
            if *f != RowFit::Named {
                return None;
            }
            let sent = index.sentence(c.fact.sentence);
            let owned = Row::of(index, c.fact.sentence, &sent)
                .header_keys()
                .map(|h| h.iter().filter(|k| words.owns_key(**k)).count())
                .filter(|n| *n > 0)?;
            // A rate's column ("People per sq km") is the figure's only
            // where the sentence names the base too.
            let base = rate_base_keys(&sent);
            if !base.is_empty() && !base.iter().any(|k| words.owns_key(*k)) {
                return None;
            }
            let cell_time = sent.figures[c.fact.figure as usize].time;
            let time_fit = match cell_time {
                Some(_) if cell_time == fig.time => 2u8,
                None => 1,
                // An earlier value is of some time before: a dated column fits it.
                Some(_) if fig.earlier => 1,
                Some(_) => 0,
            };
            Some((owned, time_fit))
        })
        .collect();
    let Some(best) = fit.iter().flatten().max().copied() else {
        return kept.into_iter().map(|(c, _)| c).collect();
    };
    kept.into_iter()
        .zip(fit)
        .filter(|((_, f), col)| *f != RowFit::Named || *col == Some(best))
        .map(|((c, _), _)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Source;
    use crate::index::Index;

    fn index(csv: &str) -> Index {
        let ex = crate::corpus::data::read_delimited(csv.as_bytes(), b',', Some("table".into())).unwrap();
        let src = Source::from_extracted(std::path::Path::new("t.csv"), crate::corpus::Format::Csv, ex);
        let corpus = crate::corpus::Corpus {
            sources: vec![src],
            warnings: Vec::new(),
        };
        Index::build(corpus, &Rules::builtin())
    }

    fn cell(ix: &Index, text: &str) -> u32 {
        (0..ix.sentence_count() as u32)
            .find(|&i| {
                let s = ix.sentence(i);
                ix.source_text(s.source)[s.span.start as usize..s.span.end as usize].contains(text)
            })
            .unwrap()
    }

    /// A draft sentence of these words, its figures at `figs`, checking the
    /// first; a second clause from token `split` on, if any.
    fn words_in(words: &[&str], figs: &[std::ops::Range<u16>], split: Option<u16>) -> RowWords {
        let rules = Rules::builtin();
        let clause = |p: u16| u8::from(split.is_some_and(|s| p >= s));
        let terms: Vec<Term> = words
            .iter()
            .enumerate()
            .map(|(i, w)| Term {
                key: rules.stem_hash(w),
                pos: i as u16,
                clause: clause(i as u16),
                name: false,
                event: None,
            })
            .collect();
        let at = |r: &std::ops::Range<u16>| (r.clone(), clause(r.start));
        RowWords::new(&terms, at(&figs[0]), figs[1..].iter().map(at).collect())
    }

    fn words_at(words: &[&str], figs: &[std::ops::Range<u16>]) -> RowWords {
        words_in(words, figs, None)
    }

    fn keys(words: &[&str]) -> RowWords {
        // The figure far from every word.
        let far = 1000..1001;
        words_at(words, std::slice::from_ref(&far))
    }

    fn label(words: &[&str]) -> Vec<u64> {
        let rules = Rules::builtin();
        words.iter().map(|w| rules.stem_hash(w)).collect()
    }

    #[test]
    fn a_figure_is_the_row_named_nearest_it() {
        let s = [
            "science",
            "has",
            "79",
            "vacancies",
            ",",
            "mathematics",
            "84",
            "vacancies",
        ];
        let (science, maths) = (label(&["science"]), label(&["mathematics"]));
        let at79 = words_at(&s, &[2..4, 6..8]);
        assert!(at79.owns(&science) && !at79.owns(&maths));
        let at84 = words_at(&s, &[6..8, 2..4]);
        assert!(at84.owns(&maths) && !at84.owns(&science));
        // "the South has 9.5 million , the North 8.2 million": the North is
        // nearer 9.5 million than the South is, but nearer still to 8.2 million.
        let s = [
            "the", "south", "has", "9.5", "million", ",", "the", "north", "8.2", "million",
        ];
        let (south, north) = (label(&["south"]), label(&["north"]));
        let first = words_at(&s, &[3..5, 8..10]);
        assert!(first.owns(&south) && !first.owns(&north));
        // A label after its figure: "2,096 deaths in the south , and 1,284 in the north".
        let s = [
            "2096", "deaths", "in", "the", "south", ",", "and", "1284", "in", "the", "north",
        ];
        let first = words_in(&s, &[0..2, 7..8], Some(5));
        assert!(first.owns(&south) && !first.owns(&north));
        let second = words_in(&s, &[7..8, 0..2], Some(5));
        assert!(second.owns(&north) && !second.owns(&south));
        // A label inside the figure's own phrase.
        let s = [
            "counts",
            "2310",
            "mathematics",
            "teachers",
            "and",
            "2700",
            "english",
            "teachers",
        ];
        let first = words_at(&s, &[1..4, 5..8]);
        assert!(first.owns(&maths) && !first.owns(&label(&["english"])));
        // Rows that share a word: "glasgow city has 3522 , against 1171 in aberdeen city".
        let s = [
            "glasgow", "city", "has", "3522", ",", "against", "1171", "in", "aberdeen", "city",
        ];
        let (glasgow, aberdeen) = (label(&["glasgow", "city"]), label(&["aberdeen", "city"]));
        let second = words_at(&s, &[6..7, 3..4]);
        assert!(second.owns(&aberdeen) && !second.owns(&glasgow));
        let first = words_at(&s, &[3..4, 6..7]);
        assert!(first.owns(&glasgow) && !first.owns(&aberdeen));
        // A label the sentence does not hold is no figure's.
        assert!(!first.owns(&label(&["history"])));
    }

    #[test]
    fn a_cell_knows_its_row_label() {
        let ix = index("Road user,Killed,Injured\nCar occupants,1820,10465\nCyclists,312,4380\n");
        let id = cell(&ix, "4380");
        let s = ix.sentence(id);
        assert_eq!(
            row_fit(&ix, id, &s, &keys(&["cyclists", "were", "hurt"])),
            RowFit::Named
        );
        assert_eq!(row_fit(&ix, id, &s, &keys(&["car", "occupants"])), RowFit::Unnamed);
        // Half a label is not the row.
        let id = cell(&ix, "10465");
        let s = ix.sentence(id);
        assert_eq!(row_fit(&ix, id, &s, &keys(&["car", "crashes"])), RowFit::Unnamed);
        // The label itself has no row label.
        let id = cell(&ix, "Cyclists");
        assert_eq!(
            row_fit(&ix, id, &ix.sentence(id), &keys(&["cyclists"])),
            RowFit::Unknown
        );
    }

    #[test]
    fn a_numbered_first_column_is_no_label() {
        let ix = index("Year,Deaths\n2021,1820\n2022,1790\n");
        let id = cell(&ix, "1790");
        assert_eq!(row_fit(&ix, id, &ix.sentence(id), &keys(&["deaths"])), RowFit::Unknown);
    }

    #[test]
    fn header_events_are_a_cells_events() {
        let ix = index("Road user,Killed\nCyclists,312\n");
        let id = cell(&ix, "312");
        assert!(!header_events(&ix.sentence(id)).is_empty());
        let ix = index("Road user,Licensed\nCyclists,312\n");
        let id = cell(&ix, "312");
        assert!(header_events(&ix.sentence(id)).is_empty());
    }
}
