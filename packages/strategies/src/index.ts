export {
  PROFILE_NAMES,
  PROFILES,
  type Profile,
  type ProfileName,
  profileNamed,
} from './profiles.js';
