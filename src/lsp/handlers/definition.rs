//! Go to definition on a citation key: the source file, at the passage that
//! backs the sentence where there is one. On a quotation (or a name): the
//! source at the quoted words.

use std::sync::Arc;

use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::{GotoDefinitionParams, GotoDefinitionResponse, Location, Position, Range, Url};

use super::completion::under;
use super::{findings_in, passage_location, sentence_at};
use crate::lsp::state::{State, read};

pub async fn definition(state: &Arc<State>, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
    let pos = params.text_document_position_params;
    let Some(checked) = state.checked_uri(&pos.text_document.uri).await else {
        return Ok(None);
    };
    let enc = state.encoding();
    let text = checked.view();
    let offset = text.offset(pos.position, enc);
    let line_start = checked.lines.line_start(pos.position.line as usize).unwrap_or(0);
    let line_end = checked
        .lines
        .line_start(pos.position.line as usize + 1)
        .unwrap_or(checked.text.len());
    let line = &checked.text[line_start..line_end];
    let Some(at) = under(line, offset - line_start) else {
        // On a quotation: the source at the quoted passage.
        if let Some(f) = super::finding_at(&checked, offset)
            && f.value.is_none()
            && let Some(p) = f.passages.first()
            && let Some(loc) = passage_location(&checked.loaded, p, enc)
        {
            return Ok(Some(GotoDefinitionResponse::Scalar(loc)));
        }
        return Ok(None);
    };
    let key = &line[at.key.clone()];
    // The passage of this source that backs the sentence, if any.
    if let Some(sentence) = sentence_at(&checked, offset) {
        for f in findings_in(&checked, sentence) {
            if let Some(p) = f.passages.iter().find(|p| p.key == key)
                && let Some(loc) = passage_location(&checked.loaded, p, enc)
            {
                return Ok(Some(GotoDefinitionResponse::Scalar(loc)));
            }
        }
    }
    // Else the top of the source file.
    let project = read(&checked.loaded.project);
    let Some(src) = project.index.source_id_by_key(key).map(|id| project.index.source(id)) else {
        return Ok(None);
    };
    let Some(uri) = std::path::absolute(&src.path)
        .ok()
        .and_then(|p| Url::from_file_path(p).ok())
    else {
        return Ok(None);
    };
    Ok(Some(GotoDefinitionResponse::Scalar(Location {
        uri,
        range: Range::new(Position::new(0, 0), Position::new(0, 0)),
    })))
}
