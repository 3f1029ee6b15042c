//! The site model: every published story with its fields resolved, and the indexes pages are
//! made from (by section, tag, author and date). Built once per build and never changed after;
//! it knows nothing of templates.

pub mod address;
pub mod library;
pub mod story;

pub use address::{Address, author_path, day_path, output_path, section_path, tag_path};
pub use library::{Library, Section, Term};
pub use story::{LeadImage, Story, image_file, image_size};
