//! Caption files (`.vtt` WebVTT, `.srt` SubRip): who said what, and when.
//!
//! Cues are read in order; consecutive cues of one speaker make one turn,
//! written `Speaker: words` so the quotation checks read the speaker as they
//! do a transcript's `NAME:` lines. A speaker is a WebVTT voice tag
//! (`<v Ann Lee>`) or a cue that opens with `NAME:`; other markup is dropped.
//! Each cue's start is a [`Locator::Time`]. Not read: styling, positions,
//! NOTE and STYLE blocks.

use super::render::Rendition;
use super::{Extracted, Locator, Meta, Unreadable, lossy};

/// Milliseconds of a cue timestamp: `01:02:03.456`, `02:03.456`, `01:02:03,456`.
fn timestamp(s: &str) -> Option<u64> {
    let s = s.trim();
    let (hms, frac) = s.split_once(['.', ',']).unwrap_or((s, "0"));
    let mut secs = 0u64;
    for part in hms.split(':') {
        secs = secs * 60 + part.trim().parse::<u64>().ok()?;
    }
    let ms: u64 = format!("{frac:0<3}").get(..3)?.parse().ok()?;
    Some(secs * 1000 + ms)
}

/// The speaker of a voice tag at the start of a cue, and the cue without tags.
fn strip_tags(line: &str) -> (Option<String>, String) {
    let mut speaker = None;
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find('>') else {
            out.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let tag = &rest[i + 1..i + j];
        if let Some(v) = tag.strip_prefix('v').filter(|v| v.starts_with([' ', '.'])) {
            // `<v Ann Lee>` or `<v.loud Ann Lee>`.
            let name = v.split_once(' ').map_or("", |(_, n)| n).trim();
            if !name.is_empty() && speaker.is_none() {
                speaker = Some(name.to_string());
            }
        }
        rest = &rest[i + j + 1..];
    }
    out.push_str(rest);
    (speaker, out)
}

/// A cue that opens with a speaker label, `NAME: words`.
fn label(text: &str) -> Option<(String, String)> {
    let (who, words) = text.split_once(':')?;
    let who = who.trim();
    let ok = !who.is_empty()
        && who.len() <= 40
        && who.split_whitespace().count() <= 4
        && who.chars().next().is_some_and(char::is_uppercase)
        && !who.chars().any(|c| c.is_ascii_digit());
    ok.then(|| (who.to_string(), words.trim().to_string()))
}

/// Reads a caption file.
pub fn read(bytes: &[u8]) -> Result<Extracted, Unreadable> {
    let text = lossy(bytes).replace("\r\n", "\n");
    let mut out = Rendition::default();
    let mut turn: (Option<String>, Vec<(Locator, String)>) = (None, Vec::new());
    let flush = |turn: &mut (Option<String>, Vec<(Locator, String)>), out: &mut Rendition| {
        let lead = turn.0.as_ref().map(|s| format!("{s}: ")).unwrap_or_default();
        out.located_paragraph(&lead, &turn.1);
        turn.1.clear();
    };
    let mut cues = 0;
    for block in text.split("\n\n") {
        let lines: Vec<&str> = block.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let Some(t) = lines.iter().position(|l| l.contains("-->")) else {
            continue;
        };
        let start = lines[t].split("-->").next().and_then(timestamp);
        let Some(start) = start else { continue };
        cues += 1;
        let (mut speaker, mut words) = (None, Vec::new());
        for l in &lines[t + 1..] {
            let (v, plain) = strip_tags(l);
            speaker = speaker.or(v);
            words.push(plain);
        }
        let mut words = words.join(" ");
        if speaker.is_none()
            && let Some((who, rest)) = label(&words)
        {
            speaker = Some(who);
            words = rest;
        }
        let speaker = speaker.or_else(|| turn.0.clone().filter(|_| !turn.1.is_empty()));
        if speaker != turn.0 {
            flush(&mut turn, &mut out);
            turn.0 = speaker;
        }
        turn.1.push((Locator::Time { ms: start }, words));
    }
    flush(&mut turn, &mut out);
    if cues == 0 {
        return Err(Unreadable(
            "no captions found (expected `00:00:01.000 --> 00:00:04.000` cue timings)".into(),
        ));
    }
    if out.is_empty() {
        return Err(Unreadable("the captions have no text".into()));
    }
    Ok(out.finish(Meta::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vtt_voices_and_times() {
        let vtt = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Lin Mei>We found 382 babies\n\n00:00:04.000 --> 00:00:06.500\n<v Lin Mei>in 27 provinces.</v>\n\n00:01:02.000 --> 00:01:05.000\n<v Reporter>How many were <i>arrested</i>?\n";
        let x = read(vtt.as_bytes()).unwrap();
        assert!(
            x.text.contains("Lin Mei: We found 382 babies in 27 provinces.\n"),
            "{}",
            x.text
        );
        assert!(x.text.contains("Reporter: How many were arrested?"), "{}", x.text);
        let at = x.text.find("in 27").unwrap();
        assert_eq!(
            super::super::locator_at(&x.locators, at),
            Some(Locator::Time { ms: 4000 })
        );
        let at = x.text.find("How many").unwrap();
        assert_eq!(
            super::super::locator_at(&x.locators, at),
            Some(Locator::Time { ms: 62000 })
        );
        assert_eq!(Locator::Time { ms: 62000 }.to_string(), "00:01:02");
    }

    #[test]
    fn srt_labels() {
        let srt = "1\r\n00:00:01,000 --> 00:00:03,000\r\nMINISTER: We will act.\r\n\r\n2\r\n00:00:03,000 --> 00:00:05,000\r\nThe budget is 5 billion.\r\n";
        let x = read(srt.as_bytes()).unwrap();
        assert!(
            x.text.contains("MINISTER: We will act. The budget is 5 billion."),
            "{}",
            x.text
        );
    }

    #[test]
    fn not_captions() {
        assert!(read(b"just some words").is_err());
        assert_eq!(timestamp("01:02:03,5"), Some(3_723_500));
    }
}
