//! nginx for the playground's images: the configuration language and most of what a course
//! asks of it (virtual hosts, locations, static files, `autoindex`, `return`, `error_page`,
//! reverse proxy with upstream groups, access and error logs, `nginx -t`, `nginx -s reload`),
//! on one thread with non-blocking sockets (guests have neither threads nor `fork`).

mod autoindex;
mod cli;
mod conf;
mod core;
mod exchange;
mod logs;
mod master;
mod proxy;
mod reply;
mod service;
mod static_files;
mod vars;
mod version;

#[cfg(test)]
mod tests;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match cli::parse(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("nginx: {e}");
            std::process::exit(1);
        }
    };
    if options.version || options.help {
        eprintln!("nginx version: {}", version::server());
        if options.configure {
            eprintln!("built by rustc (wasm32-wasip1)");
            eprintln!("configure arguments: --prefix=/etc/nginx --sbin-path=/usr/sbin/nginx --conf-path=/etc/nginx/nginx.conf --error-log-path=/var/log/nginx/error.log --http-log-path=/var/log/nginx/access.log --pid-path=/var/run/nginx.pid");
        }
        if options.help {
            eprint!("{}", cli::USAGE);
        }
        if !options.test && options.signal.is_none() {
            return;
        }
    }
    let paths = master::Paths::from(&options);
    let code = if options.test {
        master::test(&options, &paths)
    } else if let Some(sig) = &options.signal {
        master::signal(sig, &paths)
    } else {
        master::serve(&paths)
    };
    std::process::exit(code);
}
