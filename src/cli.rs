//! The command line: one `Args` struct per command, each with its own `run`.

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::commands;
use std::io::IsTerminal;

use crate::diagnostic::{self, Problems};

#[derive(Parser)]
#[command(
    name = "broadsheet",
    version,
    about = "Build a static news site from Markdown stories"
)]
pub struct Cli {
    /// The site's folder
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --output)
    Build(BuildArgs),
    /// Preview the site over HTTP, rebuilding as you save with --watch
    Serve(ServeArgs),
    /// Load and render everything without writing, and check every link
    Check(CheckArgs),
    /// Write a new story file with its front matter filled in
    New(NewArgs),
    /// Write a new site into DIR
    Init(InitArgs),
}

#[derive(Args)]
pub struct BuildArgs {
    /// Where to write the site [default: ROOT/public]
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Use this base URL instead of the one in config.toml
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include stories marked draft = true
    #[arg(long)]
    pub drafts: bool,
    /// Include stories dated in the future
    #[arg(long)]
    pub future: bool,
    /// Replace the output folder even if broadsheet did not make it
    #[arg(long)]
    pub force: bool,
}

impl BuildArgs {
    pub fn run(self, root: PathBuf) -> Result<(), Problems> {
        let options = commands::build::Options {
            output: self.output,
            base_url: self.base_url,
            drafts: self.drafts,
            future: self.future,
            force: self.force,
        };
        let s = commands::build::run(&root, &options)?;
        if !s.warnings.0.is_empty() {
            use std::io::IsTerminal;
            let colour = diagnostic::use_colour(std::io::stderr().is_terminal());
            eprintln!("{}", s.warnings.render(colour));
        }
        println!(
            "Built {} articles, {} pages, {} feeds into {} in {:.2}s ({} of {} files changed)",
            s.articles,
            s.pages,
            s.feeds,
            s.output.display(),
            s.seconds,
            s.written,
            s.files
        );
        // Stories do not vanish silently: say what was left out, and how to see it.
        let mut left = Vec::new();
        if s.drafts > 0 {
            let (what, them) = if s.drafts == 1 {
                ("draft", "it")
            } else {
                ("drafts", "them")
            };
            left.push(format!("{} {what} (--drafts shows {them})", s.drafts));
        }
        if s.scheduled > 0 {
            let (what, them) = if s.scheduled == 1 {
                ("story", "it")
            } else {
                ("stories", "them")
            };
            left.push(format!(
                "{} {what} scheduled for later (--future shows {them})",
                s.scheduled
            ));
        }
        if !left.is_empty() {
            println!("Left out: {}", left.join(", "));
        }
        Ok(())
    }
}

#[derive(Args)]
pub struct ServeArgs {
    /// Rebuild on every change under content/, templates/, static/ and to config.toml
    #[arg(long)]
    pub watch: bool,
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Include stories marked draft = true
    #[arg(long)]
    pub drafts: bool,
    /// Include stories dated in the future
    #[arg(long)]
    pub future: bool,
}

impl ServeArgs {
    pub fn run(self, root: PathBuf) -> Result<(), Problems> {
        let options = commands::serve::Options {
            bind: self.bind,
            port: self.port,
            watch: self.watch,
            drafts: self.drafts,
            future: self.future,
        };
        commands::serve::run(&root, &options)
    }
}

#[derive(Args)]
pub struct CheckArgs {
    /// Check drafts too
    #[arg(long)]
    pub drafts: bool,
    /// Check stories dated in the future too
    #[arg(long)]
    pub future: bool,
}

impl CheckArgs {
    pub fn run(self, root: PathBuf) -> Result<(), Problems> {
        let options = commands::check::Options {
            drafts: self.drafts,
            future: self.future,
        };
        let report = commands::check::run(&root, &options)?;
        if report.problems.has_errors() {
            return Err(report.problems);
        }
        if !report.problems.is_empty() {
            let colour = diagnostic::use_colour(std::io::stderr().is_terminal());
            eprintln!("{}", report.problems.render(colour));
        }
        println!(
            "Checked {} articles and {} pages: no errors",
            report.stories, report.pages
        );
        Ok(())
    }
}

#[derive(Args)]
pub struct NewArgs {
    /// The story's headline
    pub headline: String,
    /// The section [default: default_section of config.toml]
    #[arg(long)]
    pub section: Option<String>,
    /// Publication time, RFC 3339 [default: now, in the site's time zone]
    #[arg(long)]
    pub date: Option<String>,
}

impl NewArgs {
    pub fn run(self, root: PathBuf) -> Result<(), Problems> {
        let options = commands::new::Options {
            headline: self.headline,
            section: self.section,
            date: self.date,
        };
        let path = commands::new::run(&root, &options)?;
        let shown = if root == Path::new(".") {
            path
        } else {
            root.join(path)
        };
        println!("{}", shown.display());
        Ok(())
    }
}

#[derive(Args)]
pub struct InitArgs {
    /// The folder for the new site
    pub dir: PathBuf,
}

impl InitArgs {
    pub fn run(self) -> Result<(), Problems> {
        commands::init::run(&self.dir)?;
        println!(
            "Created a new site in {}. Build it with: broadsheet build --root {}",
            self.dir.display(),
            self.dir.display()
        );
        Ok(())
    }
}

/// Runs the command line and returns the exit status.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let result = match cli.command {
        Command::Build(args) => args.run(cli.root),
        Command::Serve(args) => args.run(cli.root),
        Command::Check(args) => args.run(cli.root),
        Command::New(args) => args.run(cli.root),
        Command::Init(args) => args.run(),
    };
    match result {
        Ok(()) => 0,
        Err(problems) => {
            let colour = diagnostic::use_colour(std::io::stderr().is_terminal());
            eprintln!("{}", problems.render(colour));
            1
        }
    }
}
