//! Old addresses of stories (`aliases`), each a small page that sends readers on.

use super::discovery::escape;
use crate::model::{Library, output_path};
use crate::publish::OutputFile;
use crate::view::Words;

pub fn aliases(library: &Library, words: &Words) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for story in &library.stories {
        for alias in &story.entry.front.aliases {
            files.push(OutputFile::page(
                output_path(alias),
                redirect_page(&story.address.permalink, words),
                format!("alias {alias} of {}", story.entry.file.display()),
            ));
        }
    }
    files
}

fn redirect_page(target: &str, words: &Words) -> String {
    let t = escape(target);
    let (title, text) = (words.moved_title, words.moved_text);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{t}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={t}\">\n</head>\n<body>\n<p>{text} <a href=\"{t}\">{t}</a>.</p>\n</body>\n</html>\n"
    )
}
