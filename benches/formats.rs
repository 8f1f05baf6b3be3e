//! Cost of reading each source format, in bytes per second of input:
//! extraction into a rendition, and extraction plus analysis for indexing.
//! A data table of 100,000 rows is among the inputs.
//!
//! `cargo bench --bench formats`

use std::fmt::Write;
use std::path::Path;

use copydesk::corpus::{Format, Source, extract};
use copydesk::extract::Analyzer;
use copydesk::rules::Rules;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const PARA: &str = "Police in the province said on Friday that 1,094 people had been arrested and 382 children rescued after a six-month investigation into 27 online groups.";

fn csv(rows: usize) -> Vec<u8> {
    let mut s = String::from("Region,Road deaths,Population (thousands),Rate\n");
    for i in 0..rows {
        let _ = writeln!(
            s,
            "Region {i},{}.{},{},{}.{}",
            1000 + i % 977,
            i % 100,
            4000 + i % 5003,
            i % 30,
            i % 10
        );
    }
    s.into_bytes()
}

fn html(paras: usize) -> Vec<u8> {
    let mut s = String::from(
        "<html><head><title>Story</title></head><body><nav><a href=/>Home</a></nav><main><article><h1>Story</h1>",
    );
    for _ in 0..paras {
        let _ = write!(s, "<p>{PARA}</p>");
    }
    s.push_str("</article></main><footer>Footer 2014</footer></body></html>");
    s.into_bytes()
}

fn pdf(pages: usize) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Object, Stream, dictionary};
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids: Vec<Object> = Vec::new();
    for _ in 0..pages {
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 11.into()]),
            Operation::new("TL", vec![14.into()]),
            Operation::new("Td", vec![56.into(), 790.into()]),
        ];
        for i in 0..50 {
            let line = &PARA[(i * 7) % 60..(i * 7) % 60 + 80];
            ops.push(Operation::new("Tj", vec![Object::string_literal(line)]));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = doc.add_object(Stream::new(
            dictionary! {},
            Content { operations: ops }.encode().unwrap(),
        ));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content, "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn formats(c: &mut Criterion) {
    let rules = Rules::builtin();
    let inputs = [
        ("csv-100k-rows", Format::Csv, csv(100_000), "t.csv"),
        ("html", Format::Html, html(200), "t.html"),
        ("pdf-20-pages", Format::Pdf, pdf(20), "t.pdf"),
    ];
    let mut g = c.benchmark_group("formats");
    g.sample_size(10);
    for (name, format, bytes, file) in &inputs {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(format!("extract/{name}"), |b| {
            b.iter(|| extract(Path::new(file), *format, bytes).unwrap())
        });
        g.bench_function(format!("extract+analyse/{name}"), |b| {
            b.iter(|| {
                let x = extract(Path::new(file), *format, bytes).unwrap();
                let s = Source::from_extracted(Path::new(file), *format, x);
                let mut an = Analyzer::new(&rules);
                copydesk::index::analyze_source(&mut an, &s, 0).len()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, formats);
criterion_main!(benches);
