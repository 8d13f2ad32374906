//! The program inside the `hello-world` image. Like Docker's own, it prints a greeting that
//! explains what just happened, then exits with status 0. It is an ordinary Rust program built
//! for `wasm32-wasip1`; the playground's engine runs it as the container's main process.

use std::io::Write;

const MESSAGE: &str = "
Hello from Docker!
This message shows that your installation appears to be working correctly.

Four steps brought this text to your screen:
 1. The Docker client sent your command to the Docker daemon.
 2. The daemon looked for the \"hello-world\" image, did not find it locally,
    and pulled it from the registry (here: the catalog that ships with the
    playground, so it works offline).
 3. The daemon created a new container from that image and started its
    program, a WebAssembly executable that wrote this text.
 4. The daemon streamed the container's output to the Docker client, which
    wrote it to your terminal.

The container has exited, but it still exists. To see it, run:
 $ docker ps -a

And to list the images you have pulled so far:
 $ docker images
";

fn main() {
    let mut out = std::io::stdout().lock();
    // A closed stdout is not worth a panic: the message is all this program does.
    let _ = out.write_all(MESSAGE.as_bytes());
    let _ = out.flush();
}
