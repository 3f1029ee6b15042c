//! Embeds the default theme (`templates/` and `static/`, without the sample site's
//! `static/images/`) into the binary.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn files(dir: &Path, skip: &[&str]) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let rel = p
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if rel.starts_with('.') || rel.contains("/.") || skip.iter().any(|s| rel.starts_with(s))
            {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((rel, p));
            }
        }
    }
    out.sort();
    out
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=static");
    let mut code = String::from("pub static TEMPLATES: &[(&str, &str)] = &[\n");
    for (name, path) in files(&root.join("templates"), &[]) {
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\npub static STATIC: &[(&str, &[u8])] = &[\n");
    for (name, path) in files(&root.join("static"), &["images"]) {
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            code,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("theme.rs");
    std::fs::write(out, code).unwrap();
}
