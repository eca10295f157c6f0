/*
 * Loaded into the browser the screen tests drive (LD_PRELOAD): connect(), sendto() and sendmsg()
 * to an address outside loopback fail with ENETUNREACH before the system call is made, and each
 * refusal is written as one line to the file named by ENVHUB_REFUSED_LOG. Unix and netlink sockets
 * pass. The Node side of the tests has the same rule in network-guard.ts.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int is_loopback(const struct sockaddr *address) {
  if (address == NULL) return 1;
  if (address->sa_family == AF_INET) {
    const struct sockaddr_in *in4 = (const struct sockaddr_in *)address;
    return (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
  }
  if (address->sa_family == AF_INET6) {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)address;
    if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr)) return 1;
    if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) return in6->sin6_addr.s6_addr[12] == 127;
    return 0;
  }
  return 1; /* AF_UNIX, AF_NETLINK, AF_UNSPEC (a datagram socket's disconnect) */
}

static void record(const char *call, int fd, const struct sockaddr *address) {
  const char *path = getenv("ENVHUB_REFUSED_LOG");
  if (path == NULL || *path == '\0') return;
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (address->sa_family == AF_INET) {
    const struct sockaddr_in *in4 = (const struct sockaddr_in *)address;
    inet_ntop(AF_INET, &in4->sin_addr, host, sizeof host);
    port = ntohs(in4->sin_port);
  } else if (address->sa_family == AF_INET6) {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)address;
    inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
    port = ntohs(in6->sin6_port);
  }
  int type = 0;
  socklen_t length = sizeof type;
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) != 0) type = 0;
  char line[160];
  int size = snprintf(line, sizeof line, "%s %s %s %d\n", call, type == SOCK_DGRAM ? "udp" : type == SOCK_STREAM ? "tcp" : "other", host, port);
  int out = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (out < 0) return;
  if (size > 0) (void)!write(out, line, (size_t)size < sizeof line ? (size_t)size : sizeof line - 1);
  close(out);
}

int connect(int fd, const struct sockaddr *address, socklen_t length) {
  static int (*next)(int, const struct sockaddr *, socklen_t);
  if (next == NULL) next = (int (*)(int, const struct sockaddr *, socklen_t))dlsym(RTLD_NEXT, "connect");
  if (!is_loopback(address)) {
    record("connect", fd, address);
    errno = ENETUNREACH;
    return -1;
  }
  return next(fd, address, length);
}

ssize_t sendto(int fd, const void *buffer, size_t size, int flags, const struct sockaddr *address, socklen_t length) {
  static ssize_t (*next)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
  if (next == NULL) next = (ssize_t (*)(int, const void *, size_t, int, const struct sockaddr *, socklen_t))dlsym(RTLD_NEXT, "sendto");
  if (!is_loopback(address)) {
    record("sendto", fd, address);
    errno = ENETUNREACH;
    return -1;
  }
  return next(fd, buffer, size, flags, address, length);
}

ssize_t sendmsg(int fd, const struct msghdr *message, int flags) {
  static ssize_t (*next)(int, const struct msghdr *, int);
  if (next == NULL) next = (ssize_t (*)(int, const struct msghdr *, int))dlsym(RTLD_NEXT, "sendmsg");
  const struct sockaddr *address = message == NULL ? NULL : (const struct sockaddr *)message->msg_name;
  if (!is_loopback(address)) {
    record("sendmsg", fd, address);
    errno = ENETUNREACH;
    return -1;
  }
  return next(fd, message, flags);
}
