//! Dumps the candidate pairs of a draft with their feature vectors, one JSON
//! line per (draft figure, candidate source figure), for `dev/fit/fit.py`.
//! `cargo run --release --example features -- CORPUS DRAFT`
use serde_json::json;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(corpus), Some(draft)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: features CORPUS DRAFT");
    };
    let rules = copydesk::rules::Rules::builtin();
    let index = copydesk::index::Index::from_paths(&[corpus.into()], &rules, |_, _| {})?;
    let text = std::fs::read_to_string(&draft)?;
    let doc = copydesk::markdown::Document::parse(text);
    let options = copydesk::check::CheckOptions::default();
    let checker = copydesk::check::Checker::new(&index, &rules, &options).excluding(std::path::Path::new(&draft));
    let lines = copydesk::text::LineIndex::new(&doc.text);
    for p in checker.pairs(&doc) {
        let lc = lines.line_col(&doc.text, p.span.start);
        let features: serde_json::Map<String, serde_json::Value> = copydesk::check::FEATURES
            .iter()
            .zip(p.features.0)
            .map(|(n, x)| (n.to_string(), json!(x)))
            .collect();
        let row = json!({
            "line": lc.line,
            "column": lc.column,
            "text": p.text,
            "source": p.source_path,
            "sentence": p.sentence,
            "figure": p.figure_text,
            "agreement": format!("{:?}", p.agreement),
            "confusable": p.confusable,
            "same_story": p.same_story,
            "score": p.score,
            "features": features,
        });
        println!("{row}");
    }
    Ok(())
}
