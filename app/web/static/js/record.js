// 记录仪: the search's conditions stay folded on a phone (the results come first) and open on a wide screen.
const filter = document.getElementById('rec-filter');
if (filter && window.matchMedia('(min-width: 760px)').matches) filter.open = true;
