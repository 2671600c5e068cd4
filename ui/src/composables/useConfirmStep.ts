/**
 * A destructive action asked twice (delete, remove, leave): `ask` shows the question and moves focus to its confirm
 * button, `cancel` hides it and gives focus back to the button that asked, so a keyboard or screen-reader user is
 * never dropped at the top of the page. Bind `trigger` and `confirm` as template refs of those two buttons.
 */
import { nextTick, ref } from 'vue';

export function useConfirmStep() {
  const confirming = ref(false);
  const trigger = ref<HTMLButtonElement>();
  const confirm = ref<HTMLButtonElement>();

  async function ask() {
    confirming.value = true;
    await nextTick();
    confirm.value?.focus();
  }

  async function cancel() {
    confirming.value = false;
    await nextTick();
    trigger.value?.focus();
  }

  return { confirming, trigger, confirm, ask, cancel };
}
