// A libFuzzer + ASan target with one bug per crash kind triage must name, for the accuracy tests
// (accuracy_test.cpp). The input's first word picks the bug; the rest is its argument:
//   bad-free, double-free, alloc-dealloc, new-delete, use-after-return, use-after-scope,
//   global-overflow, container-overflow, memcpy-overlap, negative-size, calloc-overflow, too-big,
//   wild-write                       the ASan finding of that name
//   harness-assert                   an assert in LLVMFuzzerTestOneInput itself, nothing below it
//   recurse N                        a null write at the bottom of N+1 nested calls of one function
//   template                         a null read in a function template returning `char const*`
//   uaf                              a heap use-after-free (ASan prints the free and alloc stacks)
// Anything else returns normally. Built with -O1, use-after-return always on, libstdc++'s vector
// annotations on (container-overflow).
#undef NDEBUG  // the harness's assert must stay in a release build
#include <cassert>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace acc {

volatile size_t g_sink;
int g_table[4];

struct Base {
  int a = 0;
};
struct Derived : Base {
  int more[16] = {};
};

template <typename T>
[[gnu::noinline]] const char* parse_type(const T* text) {
  return reinterpret_cast<const char*>(static_cast<uintptr_t>(*static_cast<const volatile int*>(nullptr) + *text));
}

[[gnu::noinline]] int* local_address() {
  int local[4] = {1, 2, 3, 4};
  g_sink = local[1];
  return local;
}

[[gnu::noinline]] void nest(int depth, volatile int* p) {
  if (depth > 0) {
    nest(depth - 1, p);
    g_sink = g_sink + 1;  // not a tail call
    return;
  }
  *p = 1;
}

[[gnu::noinline]] void outer(int depth) { nest(depth, nullptr); }

[[gnu::noinline]] void free_it(char* p) {
  std::free(p);
  g_sink = g_sink + 1;  // not a tail call: free_it stays on the stack
}

[[gnu::noinline]] char* allocate(size_t n) { return static_cast<char*>(std::malloc(n)); }

}  // namespace acc

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto space = input.find(' ');
  const std::string_view word = input.substr(0, space);
  const std::string rest(space == std::string_view::npos ? std::string_view() : input.substr(space + 1));
  const size_t n = std::strtoull(rest.c_str(), nullptr, 10);  // 0 unless the input says otherwise
  if (word == "bad-free") {
    char* p = acc::allocate(16);
    acc::free_it(p + 4 + n);
  } else if (word == "double-free") {
    char* p = acc::allocate(16);
    acc::free_it(p);
    acc::free_it(p);
  } else if (word == "alloc-dealloc") {
    int* p = new int[4 + n];
    acc::g_sink = p[0];
    operator delete(static_cast<void*>(p));
  } else if (word == "new-delete") {
    acc::Base* volatile b = new acc::Derived;  // volatile: the new/delete pair is not elided
    acc::g_sink = b->a;
    delete b;  // no virtual destructor: sized delete of the wrong size
  } else if (word == "use-after-return") {
    int* p = acc::local_address();
    acc::g_sink = p[n];
  } else if (word == "use-after-scope") {
    volatile int* p = nullptr;
    {
      int x = 1;
      p = &x;
    }
    *p = 2;
  } else if (word == "global-overflow") {
    acc::g_sink = acc::g_table[4 + n];
  } else if (word == "container-overflow") {
    std::vector<int> v;
    v.reserve(16);
    v.push_back(1);
    acc::g_sink = v.data()[2 + n];
  } else if (word == "memcpy-overlap") {
    char buf[32] = {};
    std::memcpy(buf, buf + 2 + n, 8 + n);
    acc::g_sink = buf[0];
  } else if (word == "negative-size") {
    char buf[32] = {};
    std::memset(buf, 0, static_cast<size_t>(-1) - n);
    acc::g_sink = buf[0];
  } else if (word == "calloc-overflow") {
    void* p = std::calloc((static_cast<size_t>(1) << 62) + n, 8);
    acc::g_sink = reinterpret_cast<uintptr_t>(p);
  } else if (word == "too-big") {
    void* p = std::malloc((static_cast<size_t>(1) << 45) + n);
    acc::g_sink = reinterpret_cast<uintptr_t>(p);
  } else if (word == "wild-write") {
    *reinterpret_cast<volatile int*>(0x10000000 + n) = 1;
  } else if (word == "harness-assert") {
    assert(rest.size() > 3 && "round trip must give the input back");
  } else if (word == "recurse") {
    acc::outer(static_cast<int>(n));
  } else if (word == "template") {
    acc::g_sink = reinterpret_cast<uintptr_t>(acc::parse_type(rest.c_str()));
  } else if (word == "uaf") {
    char* p = acc::allocate(32);
    acc::free_it(p);
    acc::g_sink = p[n];
  }
  return 0;
}
