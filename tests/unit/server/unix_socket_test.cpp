#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "triage/server/unix_socket.hpp"

namespace triage::server {
namespace {

namespace fs = std::filesystem;

TEST(UnixSocket, MessageCarriesItsDescriptors) {
  int pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
  int pipefd[2];
  ASSERT_EQ(::pipe(pipefd), 0);
  ASSERT_TRUE(send_message(pair[0], "hello", {pipefd[1]}));
  std::vector<int> fds;
  const auto got = receive_message(pair[1], &fds, 3);
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, "hello");
  ASSERT_EQ(fds.size(), 1u);
  // The received descriptor is the pipe's write end: what goes in comes out of the read end.
  ASSERT_EQ(::write(fds[0], "x", 1), 1);
  char c = 0;
  ASSERT_EQ(::read(pipefd[0], &c, 1), 1);
  EXPECT_EQ(c, 'x');
  for (int fd : {pair[0], pair[1], pipefd[0], pipefd[1], fds[0]}) {
    ::close(fd);
  }
}

TEST(UnixSocket, OversizedOrTruncatedMessagesAreRejected) {
  int pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
  ASSERT_TRUE(send_message(pair[0], std::string(100, 'a')));
  EXPECT_FALSE(receive_message(pair[1], nullptr, 0, 10));  // over max_bytes
  ::close(pair[1]);
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
  const char partial[] = {50, 0, 0, 0, 'a'};  // announces 50 bytes, sends 1, hangs up
  ASSERT_EQ(::write(pair[0], partial, sizeof partial), static_cast<ssize_t>(sizeof partial));
  ::close(pair[0]);
  EXPECT_FALSE(receive_message(pair[1]));
  ::close(pair[1]);
}

TEST(UnixSocket, SocketDirectoryMustBeOursAlone) {
  const fs::path dir = fs::temp_directory_path() / ("triage-sock-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::string sock = (dir / "s.sock").string();
  EXPECT_EQ(prepare_socket_dir(sock), "");  // created 0700
  EXPECT_EQ(fs::status(dir).permissions() & fs::perms::all, fs::perms::owner_all);
  std::string why;
  const int l = listen_on(sock, why);
  ASSERT_GE(l, 0) << why;
  const int ok = connect_to(sock);
  EXPECT_GE(ok, 0);
  ::close(ok);
  ::chmod(dir.c_str(), 0755);
  EXPECT_NE(prepare_socket_dir(sock).find("open to other users"), std::string::npos);
  EXPECT_EQ(connect_to(sock), -1);  // a server listens, but the directory is not private any more
  ::close(l);
  fs::remove_all(dir);
}

TEST(UnixSocket, ListenThenConnectAndBusy) {
  const fs::path dir = fs::temp_directory_path() / ("triage-sock-test2-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::string sock = (dir / "s.sock").string();
  std::string why;
  const int l = listen_on(sock, why);
  ASSERT_GE(l, 0) << why;
  const int c = connect_to(sock);
  EXPECT_GE(c, 0);
  std::string why2;
  EXPECT_EQ(listen_on(sock, why2), -1);
  EXPECT_EQ(why2, "busy");
  ::close(c);
  ::close(l);
  // Nothing accepts any more: the file is stale and the next server replaces it.
  std::string why3;
  const int l2 = listen_on(sock, why3);
  EXPECT_GE(l2, 0) << why3;
  ::close(l2);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace triage::server

namespace triage::server {
namespace {

TEST(AbstractSocket, ListenConnectAndNameTaken) {
  const std::string name = "triage-unit-" + std::to_string(::getpid());
  std::string why;
  const int l = listen_abstract(name, why);
  ASSERT_GE(l, 0) << why;
  const int c = connect_abstract(name);
  ASSERT_GE(c, 0);
  const int a = ::accept(l, nullptr, nullptr);
  ASSERT_GE(a, 0);
  EXPECT_TRUE(peer_is_same_user(a));
  ASSERT_TRUE(send_message(c, "ping"));
  EXPECT_EQ(receive_message(a), "ping");
  // The name is taken while the socket lives, and free again (nothing to unlink) once it is closed.
  EXPECT_LT(listen_abstract(name, why), 0);
  EXPECT_NE(why.find("@" + name), std::string::npos);
  ::close(a);
  ::close(c);
  ::close(l);
  EXPECT_LT(connect_abstract(name), 0);
  const int again = listen_abstract(name, why);
  EXPECT_GE(again, 0) << why;
  ::close(again);
}

TEST(AbstractSocket, RejectsEmptyAndOverlongNames) {
  std::string why;
  EXPECT_LT(listen_abstract("", why), 0);
  EXPECT_LT(listen_abstract(std::string(200, 'n'), why), 0);
  EXPECT_LT(connect_abstract(""), 0);
}

}  // namespace
}  // namespace triage::server
