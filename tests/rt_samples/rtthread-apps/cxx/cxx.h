#ifndef CXX_H__
#define CXX_H__

class A
{
public:
    A();

    void setA(int value);
    int getA(void);

    void toString();

private:
    int a;
};

#endif
