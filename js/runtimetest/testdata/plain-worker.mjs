// workerd without ossign: the baseline of the cold-start benchmark (process start → first answer).
export default {
  fetch() {
    return new Response('ok');
  },
};
