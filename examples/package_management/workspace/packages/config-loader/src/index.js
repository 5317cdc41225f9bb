// config-loader: Reads layered configuration files.
const core_utils = require('core-utils');
module.exports = { name: 'config-loader', version: '0.4.0' };
