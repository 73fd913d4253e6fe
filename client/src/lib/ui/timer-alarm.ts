/**
 * The end of a countdown on each device: three short beeps made by Web Audio (no sound file to
 * download on a village hall's Wi-Fi) and a buzz where the phone can. Each device may be muted
 * (the projector's loudspeaker, a phone in a pocket), remembered on the device.
 */
const MUTED_KEY = 'kaptar:timer-muted';

export function loadMuted(): boolean {
  try {
    return localStorage.getItem(MUTED_KEY) === '1';
  } catch {
    // Storage refused (private mode): the sound stays on.
    return false;
  }
}

export function saveMuted(muted: boolean): void {
  try {
    if (muted) localStorage.setItem(MUTED_KEY, '1');
    else localStorage.removeItem(MUTED_KEY);
  } catch {
    // Not remembered on this device; this page still keeps the choice.
  }
}

const BEEPS = 3;
const BEEP_S = 0.25;
const GAP_S = 0.15;

export function ring(): void {
  navigator.vibrate?.([300, 150, 300, 150, 300]);
  if (typeof AudioContext === 'undefined') return;
  const audio = new AudioContext();
  // A page that has not been touched yet starts suspended: resuming may be refused, then silent.
  void audio.resume().catch(() => undefined);
  const start = audio.currentTime;
  for (let i = 0; i < BEEPS; i++) {
    const at = start + i * (BEEP_S + GAP_S);
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.frequency.value = 880;
    volume.gain.setValueAtTime(0.0001, at);
    volume.gain.exponentialRampToValueAtTime(0.4, at + 0.02);
    volume.gain.exponentialRampToValueAtTime(0.0001, at + BEEP_S);
    tone.connect(volume).connect(audio.destination);
    tone.start(at);
    tone.stop(at + BEEP_S);
    if (i === BEEPS - 1) tone.onended = () => void audio.close();
  }
}
