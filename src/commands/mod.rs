//! The commands, each wiring the pipeline's stages for one job.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod serve;
