//! `copydesk completions` and `copydesk man`: shell completion scripts and man
//! pages generated from the clap definition of the command line, so they can
//! never disagree with `--help`.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Writes the completion script of `shell` for the command `cmd` to `out`.
pub fn completions(mut cmd: clap::Command, shell: clap_complete::Shell, out: &mut dyn Write) -> Result<()> {
    let name = cmd.get_name().to_string();
    clap_complete::generate(shell, &mut cmd, name, out);
    out.flush()?;
    Ok(())
}

/// Writes the man page of `cmd` (roff, section 1) to `out`; with `dir`,
/// instead writes one page per subcommand there (`copydesk.1`,
/// `copydesk-check.1`, …) and lists the files on `out`.
pub fn man(cmd: clap::Command, dir: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    match dir {
        None => clap_mangen::Man::new(cmd).render(out)?,
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(cmd, dir)
                .with_context(|| format!("cannot write man pages to {}", dir.display()))?;
            let mut pages: Vec<_> = std::fs::read_dir(dir)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "1"))
                .collect();
            pages.sort();
            for page in pages {
                writeln!(out, "{}", page.display())?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
