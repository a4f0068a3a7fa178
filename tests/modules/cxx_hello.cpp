/* A C++ module (compiled -fno-exceptions -fno-rtti): a global object constructed from
 * .init_array before main and destroyed at module exit (__aeabi_atexit + __dso_handle),
 * a class hierarchy with virtual methods (vtables: R_ARM_ABS32), new/delete (_Znwj, _ZdlPvj). */
#include <stdio.h>

class Greeter {
public:
    Greeter(const char *who) : who_(who) { printf("Greeter(%s) constructed\n", who_); }
    ~Greeter() { printf("Greeter(%s) destroyed\n", who_); }
    void greet() const { printf("Hello from %s\n", who_); }
private:
    const char *who_;
};

class Shape {
public:
    virtual ~Shape() {}
    virtual int area() const { return 0; }
    virtual const char *name() const { return "shape"; }
};

class Rect : public Shape {
public:
    Rect(int w, int h) : w_(w), h_(h) {}
    int area() const override { return w_ * h_; }
    const char *name() const override { return "rect"; }
private:
    int w_, h_;
};

class Square : public Rect {
public:
    explicit Square(int s) : Rect(s, s) {}
    const char *name() const override { return "square"; }
};

Greeter global_greeter("cxx_hello");

int main(int argc, char *argv[])
{
    Shape *shapes[3];
    int total = 0;

    global_greeter.greet();
    shapes[0] = new Shape();
    shapes[1] = new Rect(3, 4);
    shapes[2] = new Square(5);
    for (int i = 0; i < 3; i++) {
        printf("%s area %d\n", shapes[i]->name(), shapes[i]->area());
        total += shapes[i]->area();
    }
    for (int i = 0; i < 3; i++)
        delete shapes[i];
    printf("total area %d\n", total);
    return 0;
}
