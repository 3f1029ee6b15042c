fn main() {
    std::process::exit(broadsheet::cli::main());
}
