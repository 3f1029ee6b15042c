//! Files the site copies rather than renders: `static/` (over the built-in theme's) and files
//! kept beside stories.

use std::path::Path;

use crate::fingerprint::Fingerprint;
use crate::model::{Library, output_path};
use crate::publish::{Contents, OutputFile};

/// Images and other files kept beside a story and linked from it, copied into its folder.
pub fn story_files(root: &Path, library: &Library) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for story in &library.stories {
        let e = &story.entry;
        let dir = e
            .file
            .parent()
            .map(|p| root.join(p))
            .unwrap_or_else(|| root.to_path_buf());
        let image = story.image.as_ref().and_then(|i| i.local_file());
        let mut refs: Vec<&str> = story.body.local_files.iter().map(String::as_str).collect();
        refs.extend(image.as_deref());
        refs.sort_unstable();
        refs.dedup();
        for r in refs {
            let source = dir.join(r);
            if r.ends_with(".md") || !source.is_file() {
                continue;
            }
            files.push(OutputFile {
                path: output_path(&format!("{}{r}", e.path)),
                fingerprint: copy_fingerprint(&source),
                contents: Contents::Copy(source),
                origin: format!("{} beside {}", r, e.file.display()),
                source: e.file.parent().map(|p| p.join(r)),
            });
        }
    }
    files
}

/// A copied file is the same while its path, size and modification time are.
fn copy_fingerprint(source: &Path) -> u64 {
    let mut f = Fingerprint::new(11);
    f.add_str(&source.to_string_lossy());
    if let Ok(m) = std::fs::metadata(source) {
        let stamp = crate::content::Stamp::of(&m);
        f.add(stamp.size);
        f.add(stamp.modified);
    }
    f.finish()
}

/// The built-in theme's static files, then the site's own `static/` over them.
pub fn static_files(root: &Path) -> Vec<OutputFile> {
    let dir = root.join("static");
    let mut own: Vec<OutputFile> = Vec::new();
    if dir.is_dir() {
        for e in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if !e.file_type().is_file() {
                continue;
            }
            let rel = e
                .path()
                .strip_prefix(&dir)
                .unwrap_or(e.path())
                .to_string_lossy()
                .replace('\\', "/");
            own.push(OutputFile {
                origin: format!("static/{rel}"),
                source: Some(Path::new("static").join(&rel)),
                path: rel,
                fingerprint: copy_fingerprint(e.path()),
                contents: Contents::Copy(e.path().to_path_buf()),
            });
        }
    }
    let mut files: Vec<OutputFile> = crate::theme::static_files()
        .iter()
        .filter(|(name, _)| !own.iter().any(|f| f.path == *name))
        .map(|(name, bytes)| OutputFile {
            path: name.to_string(),
            contents: Contents::Embedded(bytes),
            origin: format!("the built-in theme's {name}"),
            source: None,
            fingerprint: crate::fingerprint::of_bytes(bytes),
        })
        .collect();
    files.extend(own);
    files
}
