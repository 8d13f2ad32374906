//! Containers: a root filesystem made from an image's layers, a configuration taken from the
//! image and the `docker run` flags, and a main process whose life is the container's life
//! (created -> running -> exited). One file per verb, as in youki's libcontainer.
