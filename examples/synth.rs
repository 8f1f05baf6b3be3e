//! Writes a generated corpus and draft for benchmarks and profiling:
//! `cargo run --release --example synth -- DIR N`.
fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("usage: synth DIR N"));
    let n: usize = args.next().and_then(|a| a.parse().ok()).expect("usage: synth DIR N");
    let mut synth = copydesk::synth::Synth::new(2);
    let bytes = synth.write_corpus(&dir.join("sources"), n)?;
    std::fs::write(dir.join("draft.md"), copydesk::synth::Synth::new(99).draft(2000))?;
    eprintln!("{n} sources, {bytes} bytes");
    Ok(())
}
