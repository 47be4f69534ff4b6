"""Planted bugs of exercise 2: each must lose points (`minikeras course verify`)."""

BUGS = [
    {
        "name": "gradients overwritten instead of accumulated",
        "file": "tape.py",
        "old": "                    grads[id(tensor)] = grads[id(tensor)] + grad",
        "new": "                    grads[id(tensor)] = grad",
    },
    {
        "name": "records walked forwards",
        "file": "tape.py",
        "old": "for output, inputs, backward in reversed(self.records):",
        "new": "for output, inputs, backward in self.records:",
    },
    {
        "name": "recursive topological sort",
        "file": "tape.py",
        "old": "    order, visited = [], set()\n    stack = [(target, False)]",
        "new": "    order, visited = [], set()\n\n"
               "    def visit(node):\n"
               "        if id(node) in visited:\n"
               "            return\n"
               "        visited.add(id(node))\n"
               "        for parent in node.parents:\n"
               "            visit(parent)\n"
               "        order.append(node)\n\n"
               "    visit(target)\n"
               "    return order\n"
               "    stack = [(target, False)]",
    },
    {
        "name": "no visited set in the sort",
        "file": "tape.py",
        "old": "        if id(node) in visited:\n            continue\n",
        "new": "",
    },
    {
        "name": "record keeps the newest op first",
        "file": "tape.py",
        "old": "        self.records.append((output, inputs, backward))",
        "new": "        self.records.insert(0, (output, inputs, backward))",
    },
]
