fn main() {
    std::process::exit(broadsheet::cli::main());
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
