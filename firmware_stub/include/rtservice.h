/* rtservice.h - RT-Thread's intrusive doubly and singly linked lists (header-only). */
#ifndef __RT_SERVICE_H__
#define __RT_SERVICE_H__

#include <rtdef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The struct of `type` whose member `member` is at `ptr`. */
#define rt_container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - (unsigned long)(&((type *)0)->member)))

#define RT_LIST_OBJECT_INIT(object) { &(object), &(object) }

rt_inline void rt_list_init(rt_list_t *l)
{
    l->next = l->prev = l;
}

/* n goes right after l */
rt_inline void rt_list_insert_after(rt_list_t *l, rt_list_t *n)
{
    n->next = l->next;
    n->prev = l;
    l->next->prev = n;
    l->next = n;
}

/* n goes right before l (at the tail when l is the list head) */
rt_inline void rt_list_insert_before(rt_list_t *l, rt_list_t *n)
{
    n->prev = l->prev;
    n->next = l;
    l->prev->next = n;
    l->prev = n;
}

/* n is unlinked and left as an empty list of its own, so removing it twice is harmless */
rt_inline void rt_list_remove(rt_list_t *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->next = n->prev = n;
}

rt_inline int rt_list_isempty(const rt_list_t *l)
{
    return l->next == l;
}

rt_inline unsigned int rt_list_len(const rt_list_t *l)
{
    const rt_list_t *p;
    unsigned int len = 0;

    for (p = l->next; p != l; p = p->next)
        len++;
    return len;
}

#define rt_list_entry(node, type, member)   rt_container_of(node, type, member)
#define rt_list_first_entry(ptr, type, member) rt_list_entry((ptr)->next, type, member)

#define rt_list_for_each(pos, head) \
    for (pos = (head)->next; pos != (head); pos = pos->next)

#define rt_list_for_each_safe(pos, n, head) \
    for (pos = (head)->next, n = pos->next; pos != (head); pos = n, n = pos->next)

#define rt_list_for_each_entry(pos, head, member)                           \
    for (pos = rt_list_entry((head)->next, rt_typeof(*pos), member);        \
         &pos->member != (head);                                            \
         pos = rt_list_entry(pos->member.next, rt_typeof(*pos), member))

#define rt_list_for_each_entry_safe(pos, n, head, member)                   \
    for (pos = rt_list_entry((head)->next, rt_typeof(*pos), member),        \
         n = rt_list_entry(pos->member.next, rt_typeof(*pos), member);      \
         &pos->member != (head);                                            \
         pos = n, n = rt_list_entry(n->member.next, rt_typeof(*n), member))

#define RT_SLIST_OBJECT_INIT(object) { RT_NULL }

rt_inline void rt_slist_init(rt_slist_t *l)
{
    l->next = RT_NULL;
}

rt_inline void rt_slist_append(rt_slist_t *l, rt_slist_t *n)
{
    while (l->next)
        l = l->next;
    l->next = n;
    n->next = RT_NULL;
}

rt_inline void rt_slist_insert(rt_slist_t *l, rt_slist_t *n)
{
    n->next = l->next;
    l->next = n;
}

rt_inline unsigned int rt_slist_len(const rt_slist_t *l)
{
    unsigned int len = 0;

    for (l = l->next; l != RT_NULL; l = l->next)
        len++;
    return len;
}

/* unlinks n if it is on the list; returns the head */
rt_inline rt_slist_t *rt_slist_remove(rt_slist_t *l, rt_slist_t *n)
{
    rt_slist_t *p = l;

    while (p->next && p->next != n)
        p = p->next;
    if (p->next == n)
        p->next = n->next;
    return l;
}

rt_inline rt_slist_t *rt_slist_first(rt_slist_t *l)
{
    return l->next;
}

rt_inline rt_slist_t *rt_slist_tail(rt_slist_t *l)
{
    while (l->next)
        l = l->next;
    return l;
}

rt_inline rt_slist_t *rt_slist_next(rt_slist_t *n)
{
    return n->next;
}

rt_inline int rt_slist_isempty(rt_slist_t *l)
{
    return l->next == RT_NULL;
}

#define rt_slist_entry(node, type, member)  rt_container_of(node, type, member)
#define rt_slist_first_entry(ptr, type, member) rt_slist_entry((ptr)->next, type, member)
#define rt_slist_tail_entry(ptr, type, member)  rt_slist_entry(rt_slist_tail(ptr), type, member)

#define rt_slist_for_each(pos, head) \
    for (pos = (head)->next; pos != RT_NULL; pos = pos->next)

#define rt_slist_for_each_entry(pos, head, member)                          \
    for (pos = ((head)->next == RT_NULL ? RT_NULL :                         \
                rt_slist_entry((head)->next, rt_typeof(*pos), member));     \
         pos != RT_NULL && &pos->member != RT_NULL;                          \
         pos = (pos->member.next == RT_NULL ? RT_NULL :                     \
                rt_slist_entry(pos->member.next, rt_typeof(*pos), member)))

#ifdef __cplusplus
}
#endif

#endif /* __RT_SERVICE_H__ */
