package vending

import "container/list"

// lru is a map bounded to max entries that drops the least recently used first. It is not
// safe for concurrent use.
type lru[V any] struct {
	max   int
	order *list.List // of *lruEntry[V], most recently used first
	items map[string]*list.Element
}

// lruEntry is one key and value.
type lruEntry[V any] struct {
	key   string
	value V
}

// newLRU returns an empty lru of at most max entries (max ≥ 1).
func newLRU[V any](max int) *lru[V] {
	return &lru[V]{max: max, order: list.New(), items: make(map[string]*list.Element)}
}

// get returns the value of key and marks it used.
func (c *lru[V]) get(key string) (V, bool) {
	if el, ok := c.items[key]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*lruEntry[V]).value, true
	}
	var zero V
	return zero, false
}

// put sets the value of key, marks it used and drops the least recently used entry when
// there are more than max.
func (c *lru[V]) put(key string, value V) {
	if el, ok := c.items[key]; ok {
		el.Value.(*lruEntry[V]).value = value
		c.order.MoveToFront(el)
		return
	}
	c.items[key] = c.order.PushFront(&lruEntry[V]{key: key, value: value})
	if c.order.Len() > c.max {
		c.removeElement(c.order.Back())
	}
}

// dropOldestWhile removes least recently used entries as long as drop says so of the oldest.
func (c *lru[V]) dropOldestWhile(drop func(V) bool) {
	for el := c.order.Back(); el != nil && drop(el.Value.(*lruEntry[V]).value); el = c.order.Back() {
		c.removeElement(el)
	}
}

// len returns the number of entries.
func (c *lru[V]) len() int { return c.order.Len() }

// removeElement removes one entry.
func (c *lru[V]) removeElement(el *list.Element) {
	c.order.Remove(el)
	delete(c.items, el.Value.(*lruEntry[V]).key)
}
